#Requires -Version 7.4
# The budget of values one record may have at high -Depth: a record whose object graph grows with every level (a
# FileInfo's drive, provider and their types) gets one non-terminating RecordTooLarge error naming the record, the
# budget and the -Depth that fits, the records around it are written, and pwsh goes on; 100 levels of nested
# hashtables round-trip; a hashtable that holds itself is cut at -Depth with a warning that says no -Depth keeps it.
# docs/object-conversion.md, "Depth", and docs/reliability.md point here.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'IsolatedPwsh.ps1')

    # Runs a script in a child pwsh of this version with this environment and the module under test, so that a
    # crash or a hang fails the test instead of taking the runner with it; killed after $TimeoutSeconds.
    function Invoke-ChildPwsh([string] $Script, [string[]] $ArgumentList, [int] $TimeoutSeconds) {
        $scriptPath = Join-Path $TestDrive "child-$([guid]::NewGuid().ToString('n')).ps1"
        Set-Content -LiteralPath $scriptPath -Value $Script
        $start = [Diagnostics.ProcessStartInfo]::new($PwshFile)
        foreach ($a in @($PwshPrefix) + @('-NoProfile', '-NonInteractive', '-File', $scriptPath) + $ArgumentList) { $start.ArgumentList.Add($a) }
        $start.Environment['CAPMAP_MODULE_MANIFEST'] = $ModuleManifest
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $process = [Diagnostics.Process]::Start($start)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            $process.WaitForExit()
            throw "The child pwsh did not end within $TimeoutSeconds s (killed)."
        }
        [pscustomobject]@{ ExitCode = $process.ExitCode; StdOut = $stdout.GetAwaiter().GetResult(); StdErr = $stderr.GetAwaiter().GetResult() }
    }
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'A record past the budget of values' {
    It 'a FileInfo at -Depth 10 gets RecordTooLarge naming the record, the budget and the -Depth that fits; the records around it are written and pwsh goes on' {
        $file = Join-Path $TestDrive 'budget.bin'
        $item = Join-Path $TestDrive 'item.txt'
        Set-Content -LiteralPath $item -Value 'x'
        $child = Invoke-ChildPwsh -TimeoutSeconds 300 -ArgumentList $file, $item -Script @'
param($File, $Item)
$ErrorActionPreference = 'Stop'
Import-Module $env:CAPMAP_MODULE_MANIFEST
$records = [pscustomobject]@{ id = 1 }, (Get-Item -LiteralPath $Item), [pscustomobject]@{ id = 3 }
$records | Export-CapnpMessage -Path $File -Depth 10 -ErrorVariable exportErrors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
$null = Get-Item -LiteralPath $Item | ConvertTo-CapnpSchema -Depth 10 -ErrorVariable schemaErrors -ErrorAction SilentlyContinue
$describe = { param($e) @{ Id = $e.FullyQualifiedErrorId; Category = "$($e.CategoryInfo.Category)"; Message = $e.Exception.Message; TargetName = $e.CategoryInfo.TargetName; TargetType = "$($e.TargetObject.GetType().Name)" } }
[pscustomobject]@{
    Export = @($exportErrors | ForEach-Object { & $describe $_ })
    Schema = @($schemaErrors | ForEach-Object { & $describe $_ })
    Back = @(Import-CapnpMessage -Path $File | ForEach-Object id)
} | ConvertTo-Json -Depth 5 -Compress
'@
        $child.ExitCode | Should -Be 0 -Because "pwsh must survive (stderr: $($child.StdErr))"
        $result = $child.StdOut | ConvertFrom-Json
        $result.Export | Should -HaveCount 1
        $e = $result.Export[0]
        $e.Id | Should -BeExactly 'RecordTooLarge,CapMap.PowerShell.Commands.ExportCapnpMessageCommand'
        $e.Category | Should -Be 'LimitsExceeded'
        $e.TargetName | Should -Be 'record 1'
        $e.TargetType | Should -Be 'FileInfo'
        $e.Message | Should -Match '^Record 1 \(a FileInfo\) was not written: it has more than 100,000 values at -Depth 10, the most one record may have .*; -Depth [0-9] keeps it within that\.$'
        $result.Back | Should -Be @(1, 3)

        $result.Schema | Should -HaveCount 1
        $result.Schema[0].Id | Should -BeExactly 'RecordTooLarge,CapMap.PowerShell.Commands.ConvertToCapnpSchemaCommand'
        $result.Schema[0].Message | Should -Match '^Record 0 \(a FileInfo\) was not written'
    }
}

Describe 'Deep and endless hashtables at -Depth 100' {
    It '100 levels of nested hashtables come back as they went in (ConvertTo-Json -Depth 100 gives the same text both ways)' {
        $doc = [ordered]@{ leaf = 'end' }
        for ($level = 99; $level -ge 1; $level--) { $doc = [ordered]@{ level = $level; next = $doc } }
        $in = [pscustomobject]@{ id = 1; doc = $doc }
        $file = Join-Path $TestDrive 'nested.bin'
        $in | Export-CapnpMessage -Path $file -Depth 100 -WarningVariable warned
        $warned | Should -BeNullOrEmpty
        $back = @(Import-CapnpMessage -Path $file)
        $back | Should -HaveCount 1
        ($back[0] | ConvertTo-Json -Depth 100) | Should -BeExactly ($in | ConvertTo-Json -Depth 100)
    }

    It 'a hashtable that holds itself is cut at -Depth 100 with one warning that says no -Depth keeps it, and reads back' {
        $h = @{ name = 'loop' }
        $h.self = $h
        $file = Join-Path $TestDrive 'loop.bin'
        $output = [pscustomobject]@{ id = 7; h = $h } | Export-CapnpMessage -Path $file -Depth 100 3>&1
        $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
        $warnings | Should -HaveCount 1
        $warnings[0] | Should -BeExactly ('Values nested deeper than -Depth 100 were written as text: h{}.value{}.value{}.(… 95 levels …).value{}.value{}.value (1 record). ' +
            'No -Depth keeps them as objects: they nest more than 100 levels deep (a value that holds itself nests without end).')
        $back = @(Import-CapnpMessage -Path $file)
        $back.id | Should -Be 7
        $back[0].h.self.self.name | Should -Be 'loop'
    }
}
