#Requires -Version 7.4
# Tests of the built module folder (out/CapMap) and its manifest. build.ps1 -Task Test builds the folder
# first and passes its manifest in CAPMAP_MODULE_MANIFEST; run by hand, the default location is used.

BeforeDiscovery {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    $script:DeclaredCmdlets = @((Import-PowerShellDataFile -LiteralPath (Join-Path $repoRoot 'CapMap.psd1')).CmdletsToExport)
}

BeforeAll {
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    $script:ModuleManifest = if ($env:CAPMAP_MODULE_MANIFEST) { $env:CAPMAP_MODULE_MANIFEST }
    else { Join-Path $RepoRoot 'out/CapMap/CapMap.psd1' }
    $script:ModuleDir = Split-Path -Parent $ModuleManifest
    $script:SourceManifest = Join-Path $RepoRoot 'CapMap.psd1'
    $script:ManifestData = Import-PowerShellDataFile -LiteralPath $SourceManifest
    $script:ApprovedVerbs = @(Get-Verb | ForEach-Object Verb)

    if (-not (Test-Path -LiteralPath $ModuleManifest)) {
        throw "Built module not found at '$ModuleManifest'. Run ./build.ps1 -Task Build first."
    }

    $importWarnings = $null
    $importErrors = $null
    $script:Module = Import-Module -Name $ModuleManifest -Force -PassThru `
        -WarningVariable importWarnings -WarningAction SilentlyContinue `
        -ErrorVariable importErrors -ErrorAction SilentlyContinue
    $script:ImportWarnings = @($importWarnings)
    $script:ImportErrors = @($importErrors)
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'CapMap module import' {
    It 'imports from the built folder' {
        $Module | Should -Not -BeNullOrEmpty
        $Module.Name | Should -Be 'CapMap'
        $Module.ModuleBase | Should -Be ((Resolve-Path -LiteralPath $ModuleDir).ProviderPath)
    }

    It 'imports without warnings' {
        $ImportWarnings | ForEach-Object { "$_" } | Should -BeNullOrEmpty
    }

    It 'imports without errors' {
        $ImportErrors | ForEach-Object { "$_" } | Should -BeNullOrEmpty
    }

    It 'exports only commands the manifest lists, each with an approved verb' {
        foreach ($command in @(Get-Command -Module CapMap)) {
            $command.Name | Should -BeIn $ManifestData.CmdletsToExport
            $command.Verb | Should -BeIn $ApprovedVerbs -Because "$($command.Name) must use an approved verb"
        }
    }

    It 'resolves MonoPosixHelper from the module''s runtimes folder' {
        # NativeConvert calls into libMonoPosixHelper.so; without the import-time resolver this throws
        # DllNotFoundException because PowerShell does not probe runtimes/<rid>/native.
        [Mono.Unix.Native.NativeConvert]::FromOpenFlags([Mono.Unix.Native.OpenFlags]::O_RDONLY) | Should -Be 0
        $expected = Join-Path $ModuleDir 'runtimes/linux-x64/native/libMonoPosixHelper.so'
        $mapped = @(Get-Content -LiteralPath '/proc/self/maps' | Where-Object { $_ -like '*libMonoPosixHelper.so' } |
            ForEach-Object { ($_ -split '\s+', 6)[5] } | Select-Object -Unique)
        $mapped | Should -Be @((Resolve-Path -LiteralPath $expected).ProviderPath)
    }

    It 'has an assembly version that matches ModuleVersion' {
        $assembly = [System.Reflection.AssemblyName]::GetAssemblyName((Join-Path $ModuleDir 'CapMap.PowerShell.dll'))
        $v = $assembly.Version
        [version]::new($v.Major, $v.Minor, $v.Build) | Should -Be ([version] $ManifestData.ModuleVersion)
    }
}

Describe 'CapMap manifest' {
    It 'passes Test-ModuleManifest' {
        $info = Test-ModuleManifest -Path $ModuleManifest -ErrorAction Stop -WarningVariable manifestWarnings -WarningAction SilentlyContinue
        $info.Version | Should -Be ([version] $ManifestData.ModuleVersion)
        $info.RootModule | Should -Be 'CapMap.PowerShell.dll'
        @($manifestWarnings) | ForEach-Object { "$_" } | Should -BeNullOrEmpty
    }

    It 'is the same file as the source manifest at the repository root' {
        (Get-FileHash -LiteralPath $ModuleManifest).Hash | Should -Be (Get-FileHash -LiteralPath $SourceManifest).Hash
    }

    It 'targets PowerShell Core 7.4 or later only' {
        $ManifestData.CompatiblePSEditions | Should -Be @('Core')
        $ManifestData.PowerShellVersion | Should -Be '7.4'
    }

    It 'lists cmdlets explicitly, without wildcards' {
        $ManifestData.CmdletsToExport | Should -Not -BeNullOrEmpty
        $ManifestData.CmdletsToExport | Should -Not -Contain '*'
        @($ManifestData.FunctionsToExport).Count | Should -Be 0
        @($ManifestData.AliasesToExport).Count | Should -Be 0
        @($ManifestData.VariablesToExport).Count | Should -Be 0
    }

    It 'declares <_> with an approved verb' -ForEach $DeclaredCmdlets {
        $verb = ($_ -split '-', 2)[0]
        $verb | Should -BeIn $ApprovedVerbs
    }
}

Describe 'CapMap module layout' {
    It 'does not ship System.Management.Automation.dll' {
        Get-ChildItem -LiteralPath $ModuleDir -Recurse -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
    }

    It 'ships <_>' -ForEach @(
        'CapMap.PowerShell.dll'
        'CapMap.Core.dll'
        'Mono.Posix.NETStandard.dll'
        'CapMap.format.ps1xml'
        'runtimes/linux-x64/native/libMonoPosixHelper.so'
    ) {
        Join-Path $ModuleDir $_ | Should -Exist
    }

    It 'ships the native fault handler built from Core' {
        Join-Path $ModuleDir 'runtimes/linux-x64/native/libcapmap_native.so' | Should -Exist
    }

    It 'ships a well-formed format file' {
        { [xml] (Get-Content -Raw -LiteralPath (Join-Path $ModuleDir 'CapMap.format.ps1xml')) } | Should -Not -Throw
    }
}

Describe 'CapMap format views' {
    BeforeAll {
        $formatFile = [xml] (Get-Content -Raw -LiteralPath (Join-Path $ModuleDir 'CapMap.format.ps1xml'))
        $script:ViewedTypes = @($formatFile.Configuration.ViewDefinitions.View.ViewSelectedBy.TypeName | Sort-Object -Unique)

        # A runspace of its own: Pester's already has the views once any other test ran a cmdlet that loads them.
        function Invoke-InFreshRunspace([string] $Script) {
            $shell = [powershell]::Create()
            try {
                $null = $shell.AddScript($Script).AddArgument($ModuleManifest).AddArgument($ViewedTypes).AddArgument($TestDrive)
                $output = $shell.Invoke()
                $shell.Streams.Error | ForEach-Object { throw "$_" }
                $output
            } finally { $shell.Dispose() }
        }
    }

    It 'are not loaded by Import-Module (FormatsToProcess would rebuild the format database at every import)' {
        $count = Invoke-InFreshRunspace 'param($m, $types) Import-Module $m; @(Get-FormatData -TypeName $types).Count'
        $count | Should -Be 0
    }

    It 'are not loaded by an Export-CapnpMessage | Import-CapnpMessage pipeline' {
        $count = Invoke-InFreshRunspace @'
param($m, $types, $dir)
Import-Module $m
$file = Join-Path $dir 'lazy-format.bin'
[pscustomobject]@{ host = 'web-1'; bytes = 1234 } | Export-CapnpMessage -LiteralPath $file -Force
$null = Import-CapnpMessage -LiteralPath $file | Where-Object host -eq 'web-1'
@(Get-FormatData -TypeName $types).Count
'@
        $count | Should -Be 0
    }

    It 'are all loaded by the first cmdlet that outputs a viewed type, once' {
        $counts = Invoke-InFreshRunspace @'
param($m, $types, $dir)
Import-Module $m
$null = Test-CapMapPlatform -LiteralPath $dir -Quiet
@(Get-FormatData -TypeName $types).Count
$null = Test-CapMapPlatform -LiteralPath $dir -Quiet
@(Get-FormatData -TypeName $types).Count
'@
        $counts | Should -Be @($ViewedTypes.Count, $ViewedTypes.Count)
    }

    It 'are known to the loader for every type the format file has a view for' {
        $loader = $Module.ImplementingAssembly.GetType('CapMap.PowerShell.LazyFormatData', $true)
        $known = $loader.GetField('FormattedTypes', [Reflection.BindingFlags] 'NonPublic, Static').GetValue($null) | ForEach-Object FullName
        @($known | Sort-Object) | Should -Be $ViewedTypes
    }
}
