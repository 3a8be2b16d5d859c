#Requires -Version 7.4
# Import-CapnpMessage over a file that another process cuts while it is read (docs/reliability.md). The reads
# run in a child pwsh (Reliability/TruncateReaderChild.ps1), so a SIGBUS that kills the session fails this test
# instead of the test host. Needs bash and truncate.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:ChildScript = Join-Path $PSScriptRoot 'Reliability/TruncateReaderChild.ps1'
}

Describe 'Import-CapnpMessage while another process truncates the file' -Tag 'Reliability' {
    It 'keeps the session alive and reports FileTruncated, or reads every record intact' {
        $pwsh = [Environment]::ProcessPath
        $info = [Diagnostics.ProcessStartInfo]::new($pwsh)
        if ((Split-Path -Leaf $pwsh) -in 'dotnet', 'dotnet.exe') { $info.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($a in @('-NoProfile', '-NonInteractive', '-File', $ChildScript, '-ModuleManifest', $ModuleManifest,
                '-SchemaPath', $SchemaPath, '-Directory', $TestDrive, '-Rounds', '12')) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $info.UseShellExecute = $false
        $process = [Diagnostics.Process]::Start($info)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit(600000)) { $process.Kill($true); throw "The child did not finish: $($stderr.Result)" }
        $process.WaitForExit()

        $process.ExitCode | Should -Be 0 -Because "a child ended by SIGBUS exits with 134 or 135: $($stderr.Result)"
        $lines = $stdout.Result -split "`n"
        $lines | Should -Contain 'DONE'
        $reps = @($lines | Where-Object { $_.StartsWith('REP ') } | ForEach-Object { $_.Substring(4) | ConvertFrom-Json })
        $reps.Count | Should -Be 12
        foreach ($rep in $reps) {
            $rep.alive | Should -BeTrue
            $rep.wrong | Should -Be 0 -Because "round $($rep.round): no record read from the zeros of a cut file is written out"
            if ($rep.complete) {
                @($rep.errorIds).Count | Should -Be 0 -Because "round $($rep.round) read everything"
            }
            else {
                @($rep.errorIds).Count | Should -Be 1 -Because "round $($rep.round): one error for the one file: $($rep.messages)"
                $rep.errorIds[0] | Should -BeLike 'FileTruncated,*' -Because "round $($rep.round): $($rep.messages)"
            }
        }
        @($reps | Where-Object { -not $_.complete }).Count | Should -BeGreaterThan 0 -Because 'some cut must land inside a read, or the test proves nothing'
    }
}
