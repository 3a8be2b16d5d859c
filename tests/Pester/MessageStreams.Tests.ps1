#Requires -Version 7.4
# Files of several messages (the standard stream framing): Get-CapnpMessageInfo reports each one, and
# Resize-/Repair-CapnpMappedMessage never delete a byte of a valid message. Streams are made by the reference
# capnp tool (`capnp convert json:binary`, once per message, concatenated) and by CapMap followed by capnp.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # One message made by capnp itself from JSON: a Batch with $Count records.
    function New-CapnpToolMessage([int] $Count, [string] $Source) {
        $records = @(0..($Count - 1) | ForEach-Object { @{ id = $_; name = "r$_"; tags = @('a', "t$_") } })
        $json = @{ source = $Source; records = $records } | ConvertTo-Json -Depth 5 -Compress
        $file = Join-Path $TestDrive "tool-$(Get-Random).bin"
        $json | & bash -c 'capnp convert json:binary "$0" Batch > "$1"' $SchemaPath $file
        if ($LASTEXITCODE -ne 0) { throw "capnp convert json:binary failed ($LASTEXITCODE)" }
        [IO.File]::ReadAllBytes($file)
    }

    function New-StreamFile([string] $Name, [byte[][]] $Messages, [int] $SlackBytes = 0) {
        $file = Join-Path $TestDrive $Name
        $all = [System.Collections.Generic.List[byte]]::new()
        foreach ($m in $Messages) { $all.AddRange($m) }
        $all.AddRange([byte[]]::new($SlackBytes))
        [IO.File]::WriteAllBytes($file, $all.ToArray())
        $file
    }

    # How many messages capnp reads from the file, with the records of each.
    function Get-CapnpToolRecordCounts([string] $File) {
        $json = & bash -c 'capnp convert binary:json "$0" Batch < "$1"' $SchemaPath $File
        if ($LASTEXITCODE -ne 0) { throw "capnp convert binary:json failed ($LASTEXITCODE)" }
        # capnp prints one JSON document per message, each starting at a line '{'.
        $text = $json -join "`n"
        $docs = [regex]::Split($text, '(?m)^(?=\{)') | Where-Object { $_.Trim() }
        @($docs | ForEach-Object { @(($_ | ConvertFrom-Json).records).Count })
    }

    $script:First = New-CapnpToolMessage -Count 3 -Source 'first'
    $script:Second = New-CapnpToolMessage -Count 5 -Source 'second'
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'A stream of two messages made by capnp convert' {
    It 'is reported as two messages with their offsets and record counts, without slack' {
        $file = New-StreamFile 'two.bin' $First, $Second
        $info = @(Get-CapnpMessageInfo -LiteralPath $file)
        $info.Count | Should -Be 2
        $info[0].Index | Should -Be 0
        $info[0].Offset | Should -Be 0
        $info[1].Index | Should -Be 1
        $info[1].Offset | Should -Be $First.Length
        $info[0].MessageBytes + $info[1].MessageBytes | Should -Be (Get-Item $file).Length
        $info[0].RecordCount | Should -Be 3
        $info[1].RecordCount | Should -Be 5
        $info[1].SlackBytes | Should -Be 0
        $info.State | Should -Be @('Unknown', 'Unknown')
        Get-CapnpToolRecordCounts $file | Should -Be @(3, 5)
    }

    It 'is read whole by Import-CapnpMessage, message after message, and -Skip/-First count across them' {
        $file = New-StreamFile 'two-import.bin' $First, $Second
        $records = @(Import-CapnpMessage -LiteralPath $file -Schema $SchemaPath -RootType Batch)
        $records.Count | Should -Be 8
        @($records | ForEach-Object id) | Should -Be @(0, 1, 2, 0, 1, 2, 3, 4)
        @($records | ForEach-Object name) | Should -Be @('r0', 'r1', 'r2', 'r0', 'r1', 'r2', 'r3', 'r4')
        $records[4].tags | Should -Be @('a', 't1')
        $window = @(Import-CapnpMessage -LiteralPath $file -Schema $SchemaPath -RootType Batch -Skip 2 -First 3)
        @($window | ForEach-Object name) | Should -Be @('r2', 'r0', 'r1')
    }

    It 'is left alone by Resize without -Force (NotWrittenByCapMap), even with slack after it' {
        $file = New-StreamFile 'two-slack.bin' $First, $Second -SlackBytes 4096
        $before = [IO.File]::ReadAllBytes($file)
        { Resize-CapnpMappedMessage -LiteralPath $file -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'NotWrittenByCapMap,*'
        [IO.File]::ReadAllBytes($file) | Should -Be $before
    }

    It 'loses only the slack with Resize -Force: both messages stay byte for byte' {
        $file = New-StreamFile 'two-force.bin' $First, $Second -SlackBytes 4096
        $result = Resize-CapnpMappedMessage -LiteralPath $file -Force -Confirm:$false
        $result.BytesRemoved | Should -Be 4096
        (Get-Item $file).Length | Should -Be ($First.Length + $Second.Length)
        Get-CapnpToolRecordCounts $file | Should -Be @(3, 5)
    }

    It 'is not touched by Repair (no CapMap checkpoint: RepairFailed)' {
        $file = New-StreamFile 'two-repair.bin' $First, $Second
        $before = [IO.File]::ReadAllBytes($file)
        { Repair-CapnpMappedMessage -LiteralPath $file -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'RepairFailed,*'
        [IO.File]::ReadAllBytes($file) | Should -Be $before
    }

    It 'asks before cutting: Resize has ConfirmImpact High' {
        $command = Get-Command Resize-CapnpMappedMessage
        $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false).ConfirmImpact | Should -Be 'High'
    }
}

Describe 'A CapMap message followed by a message capnp made' {
    BeforeAll {
        $m = New-CapnpMappedMessage -Path (Join-Path $TestDrive 'capmap-first.bin') -Schema $Schema -RootType Batch -Reserve 256MB
        0..6 | ForEach-Object { New-TestRecord $_ } | Add-CapnpStruct -Message $m
        $null = $m | Complete-CapnpMappedMessage
        $script:CapMapMessage = [IO.File]::ReadAllBytes($m.Path)
    }

    It 'keeps the second message through Repair and Resize, and both are read by capnp' {
        $file = New-StreamFile 'mixed.bin' $CapMapMessage, $Second -SlackBytes 8192
        $info = @(Get-CapnpMessageInfo -LiteralPath $file)
        $info.Count | Should -Be 2
        $info[0].State | Should -Be 'Complete'
        $info[0].RecordCount | Should -Be 7
        $info[1].RecordCount | Should -Be 5
        $info[1].SlackBytes | Should -Be 8192

        $repair = Repair-CapnpMappedMessage -LiteralPath $file -Confirm:$false
        $repair.BytesAfter | Should -Be ($CapMapMessage.Length + $Second.Length)
        Get-CapnpToolRecordCounts $file | Should -Be @(7, 5)

        $null = New-StreamFile 'mixed.bin' $CapMapMessage, $Second -SlackBytes 8192
        (Resize-CapnpMappedMessage -LiteralPath $file -Confirm:$false).BytesRemoved | Should -Be 8192
        Get-CapnpToolRecordCounts $file | Should -Be @(7, 5)
    }
}

Describe 'A stream of two messages made by CapMap with -Append' {
    It 'is read whole by Import, reported by Info, and kept by Resize and Repair' {
        $file = Join-Path $TestDrive 'appended.bin'
        0..3 | ForEach-Object { New-TestRecord $_ } | Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch
        4..9 | ForEach-Object { New-TestRecord $_ } | Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch -Append
        # Compared by hash: Should -Be on two byte arrays of this size compares element by element, slowly.
        $hash = (Get-FileHash -LiteralPath $file).Hash
        $length = (Get-Item -LiteralPath $file).Length

        $info = @(Get-CapnpMessageInfo -LiteralPath $file)
        $info.Count | Should -Be 2
        $info.State | Should -Be @('Complete', 'Complete')
        $info.RecordCount | Should -Be @(4, 6)
        @(Import-CapnpMessage -LiteralPath $file).Count | Should -Be 10
        Get-CapnpToolRecordCounts $file | Should -Be @(4, 6)

        $null = Repair-CapnpMappedMessage -LiteralPath $file -Confirm:$false
        (Get-FileHash -LiteralPath $file).Hash | Should -Be $hash
        $stream = [IO.File]::Open($file, 'Open')
        try { $stream.SetLength($length + 4096) } finally { $stream.Dispose() }
        (Resize-CapnpMappedMessage -LiteralPath $file -Confirm:$false).BytesRemoved | Should -Be 4096
        (Get-FileHash -LiteralPath $file).Hash | Should -Be $hash
    }
}
