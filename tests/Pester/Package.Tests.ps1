#Requires -Version 7.4
# The package as a user gets it: build.ps1 -Task Package -NoBuild packs the built out/CapMap into a nupkg, and a
# child pwsh with a temporary HOME, a clean environment and a PATH without gcc, capnp or node installs it with
# PSResourceGet from a local folder repository, imports it by name and runs every cmdlet. Also: the manifest's
# package metadata, the about_CapMap topic, and the import-time refusal on an unsupported platform.

BeforeAll {
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
    $script:ModuleManifest = if ($env:CAPMAP_MODULE_MANIFEST) { $env:CAPMAP_MODULE_MANIFEST }
    else { Join-Path $RepoRoot 'out/CapMap/CapMap.psd1' }
    if (-not (Test-Path -LiteralPath $ModuleManifest)) { throw "Built module not found at '$ModuleManifest'. Run ./build.ps1 -Task Build first." }
    $script:ManifestData = Import-PowerShellDataFile -LiteralPath (Join-Path $RepoRoot 'CapMap.psd1')
    $script:Version = $ManifestData.ModuleVersion

    . (Join-Path $PSScriptRoot 'IsolatedPwsh.ps1')
}

Describe 'Package task' {
    BeforeAll {
        # Test built out/CapMap already; pack that folder rather than building it again.
        $build = & $PwshFile @PwshPrefix -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'build.ps1') -Task Package -NoBuild 2>&1
        $script:PackageExit = $LASTEXITCODE
        $script:PackageOutput = $build -join "`n"
        $script:PackageDir = Join-Path $RepoRoot 'out/package'
        $script:Package = Join-Path $PackageDir "CapMap.$Version.nupkg"

        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $script:Entries = @()
        $script:Nuspec = $null
        if (Test-Path -LiteralPath $Package) {
            $zip = [IO.Compression.ZipFile]::OpenRead($Package)
            try {
                $script:Entries = @($zip.Entries | ForEach-Object FullName)
                $reader = [IO.StreamReader]::new($zip.GetEntry('CapMap.nuspec').Open())
                try { $script:Nuspec = [xml] $reader.ReadToEnd() } finally { $reader.Dispose() }
            }
            finally { $zip.Dispose() }
        }
    }

    It 'writes out/package/CapMap.<version>.nupkg' {
        $PackageExit | Should -Be 0 -Because $PackageOutput
        $Package | Should -Exist
    }

    It 'has the module at the package root, with the linux-x64 native libraries and help' {
        foreach ($file in 'CapMap.psd1', 'CapMap.PowerShell.dll', 'CapMap.Core.dll', 'Mono.Posix.NETStandard.dll', 'CapMap.format.ps1xml',
            'LICENSE', 'en-US/about_CapMap.help.txt', 'en-US/CapMap.PowerShell.dll-Help.xml',
            'runtimes/linux-x64/native/libcapmap_native.so', 'runtimes/linux-x64/native/libMonoPosixHelper.so') {
            $Entries | Should -Contain $file
        }
        $Entries | Should -Not -Contain 'System.Management.Automation.dll'
    }

    It 'ships CapMap.Core.dll and CapMap.PowerShell.dll as ReadyToRun images of this runtime''s format' {
        . (Join-Path $PSScriptRoot 'ReadyToRunImage.ps1')
        $zip = [IO.Compression.ZipFile]::OpenRead($Package)
        try {
            foreach ($name in 'CapMap.Core.dll', 'CapMap.PowerShell.dll') {
                $bytes = [IO.MemoryStream]::new()
                $entry = $zip.GetEntry($name).Open()
                try { $entry.CopyTo($bytes) } finally { $entry.Dispose() }
                $version = Get-ReadyToRunVersion $bytes.ToArray()
                $version | Should -Not -BeNullOrEmpty -Because "$name in the package should carry a ReadyToRun header"
                $version.Major | Should -Be (Get-RuntimeReadyToRunMajor) -Because "the runtime runs $name's precompiled code only in its own format"
            }
        }
        finally { $zip.Dispose() }
    }

    It 'has a nuspec with the manifest''s metadata and the module and cmdlet tags' {
        $metadata = $Nuspec.package.metadata
        $metadata.id | Should -Be 'CapMap'
        $metadata.version | Should -Be $Version
        $metadata.projectUrl | Should -Be $ManifestData.PrivateData.PSData.ProjectUri
        $metadata.licenseUrl | Should -Be $ManifestData.PrivateData.PSData.LicenseUri
        $tags = $metadata.tags -split ' '
        $tags | Should -Contain 'PSModule'
        $tags | Should -Contain 'PSIncludes_Cmdlet'
        foreach ($cmdlet in $ManifestData.CmdletsToExport) {
            $tags | Should -Contain "PSCmdlet_$cmdlet"
            $tags | Should -Contain "PSCommand_$cmdlet"
        }
    }
}

Describe 'Installing the package with PSResourceGet, without build tools' {
    BeforeAll {
        $root = Join-Path $TestDrive 'install'
        $script:CleanEnvironment = New-CleanEnvironment $root
        $script:Repository = New-Item -ItemType Directory -Force -Path (Join-Path $root 'repo')
        Copy-Item -LiteralPath (Join-Path $RepoRoot "out/package/CapMap.$Version.nupkg") -Destination $Repository
        $script:Work = New-Item -ItemType Directory -Force -Path (Join-Path $root 'work')

        # The schema is compiled here, where capnp is installed; the clean side loads it precompiled.
        Import-Module -Name $ModuleManifest -Force -ErrorAction Stop
        $script:Precompiled = Join-Path $Work 'ops.capnp.bin'
        $null = Import-CapnpSchema -LiteralPath (Join-Path $PSScriptRoot 'TestData/ops.capnp') -SavePrecompiled $Precompiled

        $script:ResultFile = Join-Path $Work 'result.json'
        $script:Run = Invoke-IsolatedPwsh -ScriptPath (Join-Path $PSScriptRoot 'Package/Install-AndUse.ps1') -Environment $CleanEnvironment -ArgumentList @(
            '-Repository', $Repository.FullName, '-WorkDirectory', $Work.FullName, '-PrecompiledSchema', $Precompiled, '-ResultPath', $ResultFile)
        $script:Result = if (Test-Path -LiteralPath $ResultFile) { Get-Content -Raw -LiteralPath $ResultFile | ConvertFrom-Json } else { $null }
        $script:Diagnostics = "exit code $($Run.ExitCode)`nstdout:`n$($Run.StdOut)`nstderr:`n$($Run.StdErr)"
    }

    It 'runs to the end in the clean child' {
        $Run.ExitCode | Should -Be 0 -Because $Diagnostics
        $Result | Should -Not -BeNullOrEmpty -Because $Diagnostics
        $Result.Completed | Should -BeTrue -Because $Diagnostics
    }

    It 'had a fresh HOME and no gcc, capnp or node on PATH' {
        $Result.Home | Should -Be $CleanEnvironment.HOME
        @($Result.BuildTools) | Should -BeNullOrEmpty
    }

    It 'installed CapMap <version> under the fresh HOME and imported it by name from there' {
        $Result.InstalledVersion | Should -Be $Version
        $Result.ModuleBase | Should -BeLike "$($CleanEnvironment.HOME)/*"
        $Result.ModuleVersion | Should -Be $Version
    }

    It 'finds the package and its metadata in the local repository' {
        # (A folder repository reads the manifest inside the package, not the nuspec, so its search by command
        # name only sees PSData.Tags; the nuspec's PSCommand_ tags serve NuGet feeds such as the Gallery.)
        $Result.Found.Name | Should -Be 'CapMap'
        $Result.Found.Version | Should -Be $Version
        $Result.Found.ProjectUri | Should -Be $ManifestData.PrivateData.PSData.ProjectUri
        $Result.Found.Description | Should -Be $ManifestData.Description
    }

    It 'exports every cmdlet of the manifest' {
        @($Result.Commands | Sort-Object) | Should -Be @($ManifestData.CmdletsToExport | Sort-Object)
    }

    It 'shows about_CapMap' {
        $Result.AboutFirstLine | Should -Match 'about_CapMap'
    }

    It 'Test-CapMapPlatform: growing mapped files work in the work directory' {
        $Result.PlatformSupported | Should -BeTrue
    }

    It 'Import-CapnpSchema loads the precompiled schema without capnp' {
        $Result.SchemaSource | Should -Be 'Precompiled'
        $Result.SchemaStructs | Should -Contain 'Batch'
    }

    It 'New-, Add-, Save- and Complete-CapnpMappedMessage build a complete message' {
        $Result.Built.RecordCount | Should -Be 5
        $Result.Built.State | Should -Be 'Complete'
        $Result.Built.Names | Should -Be @('r1', 'r2', 'r3', 'r4', 'r5')
    }

    It 'Export-CapnpMessage and Import-CapnpMessage round-trip records' {
        $Result.Exported.RecordCount | Should -Be 3
        $Result.Exported.Ids | Should -Be @(11, 12, 13)
        $Result.Exported.Severities | Should -Be @('info', 'warning', 'error')
        $Result.Exported.HostName | Should -Be 'h1'
        $Result.Exported.Tags | Should -Be @('x', 'y')
    }

    It 'Repair-CapnpMappedMessage restores a killed writer''s file to its last checkpoint' {
        $Result.Repaired.KilledExitCode | Should -Not -Be 0
        $Result.Repaired.StateBefore | Should -Be 'Checkpoint'
        $Result.Repaired.RecordCount | Should -Be 3
        $Result.Repaired.ImportedCount | Should -Be 3
    }

    It 'Resize-CapnpMappedMessage cuts slack appended after a message' {
        $Result.Resized.BytesRemoved | Should -Be 65536
        $Result.Resized.LengthAfter | Should -Be $Result.Resized.LengthBefore
        $Result.Resized.SlackAfter | Should -Be 0
    }

    It 'Export-CapnpMessage and Import-CapnpMessage round-trip objects with no schema anywhere' {
        $Result.Inferred.RecordCount | Should -Be 2
        $Result.Inferred.Names | Should -Be @('alpha', 'beta')
        $Result.Inferred.Counts | Should -Be @(1, 2)
        $Result.Inferred.StartedType | Should -Be 'System.DateTime'
        $Result.Inferred.StartedTicks | Should -Be ([datetime]::new(2026, 12, 1, 11, 30, 0, [DateTimeKind]::Utc).Ticks)
        $Result.Inferred.IdType | Should -Be 'System.Guid'
        $Result.Inferred.SchemaText | Should -Match 'struct Batch'
    }

    It 'ConvertTo-CapnpSchema, Get-CapnpMappedMessage and Close-CapnpMappedMessage work' {
        $Result.Converted | Should -Match 'struct Record'
        $Result.OpenMessages.Listed | Should -Be 1
        $Result.OpenMessages.StateClosed | Should -Be 'Checkpoint'
        $Result.OpenMessages.AfterClose | Should -Be 0
    }
}

Describe 'Manifest metadata' {
    BeforeAll {
        $script:Info = Test-ModuleManifest -Path $ModuleManifest -ErrorAction Stop -WarningVariable manifestWarnings -WarningAction SilentlyContinue
        $script:ManifestWarnings = @($manifestWarnings)
    }

    It 'passes Test-ModuleManifest without warnings' {
        $Info.Name | Should -Be 'CapMap'
        $ManifestWarnings | ForEach-Object { "$_" } | Should -BeNullOrEmpty
    }

    It 'has ProjectUri, LicenseUri, Tags and ReleaseNotes' {
        $Info.ProjectUri | Should -Be 'https://github.com/capmap/capmap'
        "$($Info.LicenseUri)" | Should -Match '^https://github\.com/capmap/capmap/.+/LICENSE$'
        $Info.Tags | Should -Contain 'CapnProto'
        $Info.Tags | Should -Contain 'Linux'
        $Info.ReleaseNotes | Should -Match ([regex]::Escape($Info.Version.ToString()))
    }

    It 'has a one-sentence Description' {
        $Info.Description | Should -Match '^[A-Z][^.]+\.$'
    }

    It 'takes the assembly versions from the manifest''s ModuleVersion' {
        foreach ($dll in 'CapMap.PowerShell.dll', 'CapMap.Core.dll') {
            $v = [Reflection.AssemblyName]::GetAssemblyName((Join-Path (Split-Path $ModuleManifest) $dll)).Version
            [version]::new($v.Major, $v.Minor, $v.Build) | Should -Be $Info.Version
        }
        # Directory.Build.props holds no version of its own; it reads CapMap.psd1.
        Get-Content -Raw -LiteralPath (Join-Path $RepoRoot 'Directory.Build.props') | Should -Not -Match '<Version>\d'
    }

    It 'ships the MIT licence of the repository' {
        $license = Get-Content -Raw -LiteralPath (Join-Path (Split-Path $ModuleManifest) 'LICENSE')
        $license | Should -Match '^MIT License'
        $license | Should -Match 'Copyright \(c\) CapMap contributors'
        $license | Should -Be (Get-Content -Raw -LiteralPath (Join-Path $RepoRoot 'LICENSE'))
    }
}

Describe 'about_CapMap' {
    BeforeAll {
        Import-Module -Name $ModuleManifest -Force -ErrorAction Stop
        $script:About = Get-Help about_CapMap | Out-String
    }

    It 'is found by Get-Help after Import-Module' {
        $About | Should -Match 'about_CapMap'
    }

    It 'covers <Subject>' -ForEach @(
        @{ Subject = 'the message file'; Pattern = 'segment table' }
        @{ Subject = 'the lifecycle'; Pattern = 'Repair-CapnpMappedMessage' }
        @{ Subject = 'checkpoints'; Pattern = 'Save-CapnpMappedMessage' }
        @{ Subject = 'precompiled schemas'; Pattern = 'SavePrecompiled' }
        @{ Subject = 'inferred schemas'; Pattern = 'infer' }
        @{ Subject = 'embedded schemas'; Pattern = 'embed' }
        @{ Subject = 'growth modes'; Pattern = 'Eager' }
        @{ Subject = 'the platform check'; Pattern = 'Test-CapMapPlatform' }
        @{ Subject = 'traversal limits'; Pattern = 'traversal' }
        @{ Subject = 'the supported platform'; Pattern = 'linux-x64' }
    ) {
        $About | Should -Match $Pattern
    }
}

Describe 'Import on an unsupported platform' {
    BeforeAll {
        $script:GuardScript = Join-Path $TestDrive 'import-guard.ps1'
        Set-Content -LiteralPath $GuardScript -Value @'
param([string] $Manifest)
try { Import-Module -Name $Manifest -ErrorAction Stop; 'imported' }
catch { "error:$($_.FullyQualifiedErrorId)"; "message:$($_.Exception.Message)" }
"loaded:$(@(Get-Module CapMap).Count)"
'@
    }

    It 'refuses <Runtime> at import with one message naming it and what is supported' -ForEach @(
        @{ Runtime = 'win-x64' }, @{ Runtime = 'osx-arm64' }, @{ Runtime = 'linux-arm64' }
    ) {
        $environment = New-CleanEnvironment (Join-Path $TestDrive "guard-$Runtime")
        # Test-only seam of PlatformGuard: the runtime identifier it would otherwise detect.
        $environment.CAPMAP_TEST_RUNTIME_IDENTIFIER = $Runtime
        $run = Invoke-IsolatedPwsh -ScriptPath $GuardScript -Environment $environment -ArgumentList @('-Manifest', $ModuleManifest)
        $lines = $run.StdOut -split "`r?`n" | Where-Object { $_ }
        $run.ExitCode | Should -Be 0 -Because $run.StdErr
        $lines | Should -Contain 'error:PlatformNotSupported,Microsoft.PowerShell.Commands.ImportModuleCommand'
        $message = @($lines | Where-Object { $_ -like 'message:*' })
        $message.Count | Should -Be 1
        $message[0] | Should -Match ([regex]::Escape($Runtime))
        $message[0] | Should -Match 'linux-x64'
        $message[0] | Should -Match 'PowerShell 7\.4'
        $lines | Should -Contain 'loaded:0'
    }

    It 'imports on linux-x64 itself (the seam set to the supported identifier)' {
        $environment = New-CleanEnvironment (Join-Path $TestDrive 'guard-linux-x64')
        $environment.CAPMAP_TEST_RUNTIME_IDENTIFIER = 'linux-x64'
        $run = Invoke-IsolatedPwsh -ScriptPath $GuardScript -Environment $environment -ArgumentList @('-Manifest', $ModuleManifest)
        $lines = $run.StdOut -split "`r?`n" | Where-Object { $_ }
        $lines | Should -Contain 'imported' -Because $run.StdOut
        $lines | Should -Contain 'loaded:1'
    }
}
