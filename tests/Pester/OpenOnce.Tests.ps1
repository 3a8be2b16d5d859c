#Requires -Version 7.4
# A command opens and maps a message file once (issue 19: an Import of a file of three messages opened it 7 times,
# because every layer took a path). Counted from outside: a child pwsh runs the command under strace, and the
# test counts the opens that name the file and the mappings made through the descriptors those opens returned.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    if (-not (Get-Command strace -CommandType Application -ErrorAction Ignore)) {
        throw 'strace is not installed (.ci/run installs it): this test counts the system calls of a child pwsh.'
    }

    # A file of three messages of the same shape, each carrying its schema: Export, then two appends.
    $script:Three = Join-Path $TestDrive 'three.bin'
    $rows = { param($n) 1..$n | ForEach-Object { [pscustomobject]@{ Id = $_; Name = "row $_"; Ratio = $_ / 4 } } }
    & $rows 3 | Export-CapnpMessage -LiteralPath $Three
    & $rows 4 | Export-CapnpMessage -LiteralPath $Three -Append -Force
    & $rows 5 | Export-CapnpMessage -LiteralPath $Three -Append -Force
    if (@(Get-CapnpMessageInfo -LiteralPath $Three).Count -ne 3) { throw "The test file should hold three messages." }

    $script:Child = Join-Path $TestDrive 'run-one.ps1'
    Set-Content -LiteralPath $Child -Value @'
param([string] $ModuleManifest, [string] $File, [string] $Command)
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
switch ($Command) {
    'Import' { "records=$(@(Import-CapnpMessage -LiteralPath $File).Count)" }
    'Info' { "messages=$(@(Get-CapnpMessageInfo -LiteralPath $File).Count)" }
    'Append' { [pscustomobject]@{ Id = 9; Name = 'more'; Ratio = 0.5 } | Export-CapnpMessage -LiteralPath $File -Append; "appended" }
    'Repair' { "records=$((Repair-CapnpMappedMessage -LiteralPath $File -Confirm:$false).RecordCount)" }
}
'@

    # Runs $Command on a copy of $File in a child pwsh under strace; returns its output, the opens of the copy
    # and the mappings made through them. Each thread's calls go to a file of its own (-ff), so no call is split
    # across lines by another thread's; a descriptor counts from the open that returned it until it is closed
    # or returned by another open.
    function Measure-FileOpens([string] $File, [string] $Command) {
        $copy = Join-Path $TestDrive "$Command-$(Get-Random).bin"
        Copy-Item -LiteralPath $File -Destination $copy
        $traceDir = New-Item -ItemType Directory -Path (Join-Path $TestDrive "trace-$Command-$(Get-Random)")
        $run = Invoke-ChildPwsh -Script $Child -Wrapper "strace -f -ff -qq -e trace=openat,open,mmap,close -o '$traceDir/t'" `
            -Arguments @('-ModuleManifest', $ModuleManifest, '-File', $copy, '-Command', $Command)
        if ($run.ExitCode -ne 0) { throw "The child ($Command) failed ($($run.ExitCode)): $($run.Error)" }
        $quoted = [regex]::Escape('"' + $copy + '"')
        $opens = 0
        $mappings = 0
        foreach ($thread in Get-ChildItem -LiteralPath $traceDir) {
            $ours = [System.Collections.Generic.HashSet[int]]::new()
            foreach ($line in [IO.File]::ReadLines($thread.FullName)) {
                if ($line -match '^open(at)?\(.*\) = (\d+)') {
                    $fd = [int] $Matches[2]
                    if ($line -match $quoted) { $opens++; $null = $ours.Add($fd) } else { $null = $ours.Remove($fd) }
                }
                elseif ($line -match '^open(at)?\(' -and $line -match $quoted) { $opens++ } # a failed open of the file counts too
                elseif ($line -match '^close\((\d+)\)') { $null = $ours.Remove([int] $Matches[1]) }
                elseif ($line -match '^mmap\([^,]*, [^,]*, [^,]*, [^,]*, (\d+),' -and $ours.Contains([int] $Matches[1])) { $mappings++ }
            }
        }
        [pscustomobject]@{ Output = $run.Output.Trim(); Opens = $opens; Mappings = $mappings }
    }
}

Describe 'A command opens and maps a message file once' -Tag 'Reliability' {
    # Import reads the list of messages, each message and each carried schema (it was 7 opens); Info reads the list.
    It '<Command> of a file of three messages opens and maps it once' -ForEach @(
        @{ Command = 'Import'; Output = 'records=12' }
        @{ Command = 'Info'; Output = 'messages=3' }
    ) {
        $measured = Measure-FileOpens $Three $Command
        $measured.Output | Should -Be $Output
        $measured.Opens | Should -Be 1
        $measured.Mappings | Should -Be 1
    }

    It 'Export-CapnpMessage -Append: one read of what the file holds, then the writer under its lock' {
        $measured = Measure-FileOpens $Three 'Append'
        $measured.Output | Should -Be 'appended'
        # The check of the last message's schema (read-only, no lock) and the writer (read-write, locked); it was 4 opens.
        $measured.Opens | Should -Be 2
    }

    It 'Repair-CapnpMappedMessage rehearses through the descriptor it locked' {
        $measured = Measure-FileOpens $Three 'Repair'
        $measured.Output | Should -Be 'records=5'
        # One open: the writer's, locked; the private view of the rehearsal maps that same descriptor (it was 2 opens).
        $measured.Opens | Should -Be 1
        $measured.Mappings | Should -Be 2
    }
}
