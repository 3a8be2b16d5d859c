#Requires -Version 7.4
# Issue 21, item 9: an open or stopped message of three records showed 4 GiB of apparent size (the streaming
# list's hole), Resize and Repair left it so, and UsedBytes reported 4,294,967,312. Now the file is its data plus
# a bounded slack (docs/design.md, "Sparse lanes"), and UsedBytes counts data. TestDrive lives in the temp
# directory, ext4 in CI, where the lanes are sparse; tests/Unit/Messages/ApparentSizeTests.cs covers ext4 and XFS
# images of their own.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # The promise: what an open or checkpointed message's file may hold beyond its data.
    $script:Slack = 64MB

    # A writer killed with SIGKILL after it saved three records: a child pwsh that saves, says so, and waits to be
    # killed. Its file keeps the holes of its streaming list (about 60 MiB apparent), declared as padding.
    $script:KilledChild = Join-Path $TestDrive 'killed-writer.ps1'
    Set-Content -LiteralPath $KilledChild -Value @"
param([string] `$File)
. '$(Join-Path $PSScriptRoot 'TestHelpers.ps1')'
`$m = New-CapnpMappedMessage -Path `$File -Schema `$Schema -RootType Batch
0..2 | ForEach-Object { New-TestRecord `$_ } | Add-CapnpStruct -Message `$m
`$null = Save-CapnpMappedMessage -Message `$m
[Console]::Out.WriteLine('saved'); [Console]::Out.Flush()
Start-Sleep -Seconds 600
"@
    function New-KilledWriterFile([string] $Name) {
        $file = Join-Path $TestDrive $Name
        $pwsh = [Environment]::ProcessPath
        $info = [Diagnostics.ProcessStartInfo]::new($pwsh)
        if ((Split-Path -Leaf $pwsh) -in 'dotnet', 'dotnet.exe') { $info.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
        foreach ($a in '-NoProfile', '-NonInteractive', '-File', $KilledChild, '-File', $file) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $process = [Diagnostics.Process]::Start($info)
        $stderr = $process.StandardError.ReadToEndAsync()
        while (($line = $process.StandardOutput.ReadLine()) -ne 'saved') {
            if ($null -eq $line) { throw "The writer ended before it was killed: $($stderr.Result)" }
        }
        $process.Kill() # SIGKILL
        $process.WaitForExit()
        $file
    }
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'A message of three records' {
    It 'is its data plus a bounded slack while open, at a checkpoint, stopped, repaired and resized' {
        $file = Join-Path $TestDrive 'three.bin'
        $m = New-CapnpMappedMessage -Path $file -Schema $Schema -RootType Batch
        try {
            0..2 | ForEach-Object { New-TestRecord $_ } | Add-CapnpStruct -Message $m
            $null = Save-CapnpMappedMessage -Message $m
            $m.UsedBytes | Should -BeLessThan 1MB
            (Get-Item -LiteralPath $file).Length | Should -BeLessOrEqual ($m.UsedBytes + $Slack)
            $used = $m.UsedBytes
        }
        finally {
            # Stopped without Complete: the file keeps its last checkpoint.
            $m.Dispose()
        }
        (Get-Item -LiteralPath $file).Length | Should -BeLessOrEqual ($used + $Slack)
        (ConvertFrom-CapnpFile $file).records.Count | Should -Be 3

        $null = Repair-CapnpMappedMessage -LiteralPath $file -Confirm:$false
        (Get-Item -LiteralPath $file).Length | Should -BeLessOrEqual ($used + $Slack)
        $null = Resize-CapnpMappedMessage -LiteralPath $file -Confirm:$false
        (Get-Item -LiteralPath $file).Length | Should -BeLessOrEqual ($used + $Slack)
        (ConvertFrom-CapnpFile $file).records.Count | Should -Be 3
    }
}

Describe 'A killed writer''s file of three records (issue 21, item 9: cut down to its data)' {
    It 'Repair-CapnpMappedMessage cuts it from about 60 MiB to its data, and capnp reads the three records' {
        $file = New-KilledWriterFile 'killed-repair.bin'
        $before = (Get-Item -LiteralPath $file).Length
        $before | Should -BeGreaterThan 40MB -Because 'the killed writer left the holes of its list'
        $result = Repair-CapnpMappedMessage -LiteralPath $file -Confirm:$false
        $result.BytesBefore | Should -Be $before
        $result.BytesAfter | Should -Be (Get-Item -LiteralPath $file).Length
        $result.BytesAfter | Should -BeLessThan 64KB -Because 'three records are a few KiB of data'
        $result.RecordCount | Should -Be 3
        $result.State | Should -Be 'Checkpoint'
        $json = ConvertFrom-CapnpFile $file
        $json.records.Count | Should -Be 3
        $json.records[2].name | Should -Be 'proc-2'
    }

    It 'Resize-CapnpMappedMessage cuts it the same way, and capnp reads the three records' {
        $file = New-KilledWriterFile 'killed-resize.bin'
        $before = (Get-Item -LiteralPath $file).Length
        $before | Should -BeGreaterThan 40MB -Because 'the killed writer left the holes of its list'
        $result = Resize-CapnpMappedMessage -LiteralPath $file -Confirm:$false
        $result.BytesBefore | Should -Be $before
        $result.BytesAfter | Should -Be (Get-Item -LiteralPath $file).Length
        $result.BytesAfter | Should -BeLessThan 64KB -Because 'three records are a few KiB of data'
        $json = ConvertFrom-CapnpFile $file
        $json.records.Count | Should -Be 3
        $json.records[2].name | Should -Be 'proc-2'
        (Get-CapnpMessageInfo -LiteralPath $file).RecordCount | Should -Be 3
    }
}
