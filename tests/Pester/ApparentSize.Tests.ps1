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
