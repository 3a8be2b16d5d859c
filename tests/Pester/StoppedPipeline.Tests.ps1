#Requires -Version 7.4
# A stopped pipeline keeps what came: whether the input ends normally, by an upstream error or by Ctrl+C,
# Export-CapnpMessage writes the records it received (a sample it never wrote included) and completes the message,
# so the file reads back as exactly those records, with no warning, by CapMap and by capnp with the carried schema.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # capnp's reading of a file by the schema the file carries (Get-CapnpSchema -AsText).
    function ConvertFrom-CarriedSchema([string] $File) {
        $schemaFile = [IO.Path]::ChangeExtension($File, '.capnp')
        Get-CapnpSchema -LiteralPath $File -AsText -ErrorAction Stop | Set-Content -LiteralPath $schemaFile
        ConvertFrom-CapnpFile -File $File -Type Batch -SchemaFile $schemaFile
    }

    # Runs `<producer> | Export-CapnpMessage -LiteralPath $File @Export` in a PowerShell instance of its own, which
    # emits $Records one by one, then waits; once Export has taken the last of them, the instance is stopped as
    # Ctrl+C stops a pipeline (StopProcessing, then disposal). Returns when the pipeline has ended.
    function Invoke-StoppedExport([string] $File, [object[]] $Records, [hashtable] $Export = @{}) {
        $taken = [Threading.ManualResetEventSlim]::new($false)
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $File, $Records, $Taken, $Export)
                    Import-Module -Name $Manifest -ErrorAction Stop
                    # Each object goes through Export's ProcessRecord before the producer goes on, so $Taken is set
                    # only after Export has seen the last record.
                    & { $Records; $Taken.Set(); Start-Sleep -Seconds 120 } | Export-CapnpMessage -LiteralPath $File @Export
                }).AddParameters(@{ Manifest = $ModuleManifest; File = $File; Records = $Records; Taken = $taken; Export = $Export })
            $running = $ps.BeginInvoke()
            $taken.Wait([TimeSpan]::FromSeconds(60)) | Should -BeTrue -Because 'the producer emitted every record'
            $ps.Stop()
            try { $ps.EndInvoke($running) } catch [System.Management.Automation.PipelineStoppedException] { }
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        finally {
            $ps.Dispose()
            $taken.Dispose()
        }
    }

    # Imports a file with no warning allowed (a checkpointed, incomplete message warns).
    function Import-Whole([string] $File) {
        $back = @(Import-CapnpMessage -LiteralPath $File -WarningVariable warned -WarningAction SilentlyContinue)
        @($warned) | Should -HaveCount 0 -Because "the message was completed, not left as a checkpoint ($warned)"
        , $back
    }
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'A pipeline that ends early keeps what came' {
    It 'keeps the 5 records before an upstream error at record 6 (the sample, never written)' {
        $file = Join-Path $TestDrive 'boom.bin'
        { & { 1..10 | ForEach-Object { if ($_ -eq 6) { throw 'boom' }; [pscustomobject]@{ i = $_ } } } | Export-CapnpMessage -LiteralPath $file } |
            Should -Throw '*boom*'
        Test-Path -LiteralPath $file | Should -BeTrue
        $back = Import-Whole $file
        $back.i | Should -Be @(1, 2, 3, 4, 5)
        $decoded = ConvertFrom-CarriedSchema $file
        $decoded.records.i | Should -Be @(1, 2, 3, 4, 5)
    }

    It 'keeps every record taken before Ctrl+C, while the sample is held' {
        $file = Join-Path $TestDrive 'stopped-sample.bin'
        $records = 1..7 | ForEach-Object { [pscustomobject]@{ i = $_; name = "n$_" } }
        Invoke-StoppedExport -File $file -Records $records
        $back = Import-Whole $file
        $back.i | Should -Be (1..7)
        $back.name | Should -Be ($records.name)
        $decoded = ConvertFrom-CarriedSchema $file
        $decoded.records.i | Should -Be (1..7)
    }

    It 'keeps every record taken before Ctrl+C, after the sample was written' {
        $file = Join-Path $TestDrive 'stopped-streaming.bin'
        $records = 1..9 | ForEach-Object { [pscustomobject]@{ i = $_ } }
        Invoke-StoppedExport -File $file -Records $records -Export @{ SampleSize = 3 }
        (Import-Whole $file).i | Should -Be (1..9)
    }

    It 'keeps every record taken before Ctrl+C with an explicit -Schema' {
        $file = Join-Path $TestDrive 'stopped-schema.bin'
        $records = 0..4 | ForEach-Object { New-TestRecord $_ }
        Invoke-StoppedExport -File $file -Records $records -Export @{ Schema = $SchemaPath; RootType = 'Batch' }
        $back = Import-Whole $file
        $back.pid | Should -Be (0..4)
        $back.name | Should -Be ($records.name)
        (ConvertFrom-CapnpFile -File $file).records.pid | Should -Be (0..4)
    }
}

Describe 'An open message without -Schema that is disposed' {
    It 'before any Add-CapnpStruct, still leaves a file of no records at a checkpoint, as before' {
        $file = Join-Path $TestDrive 'disposed-pending.bin'
        $m = New-CapnpMappedMessage -Path $file
        $m.Dispose()
        $m.State | Should -Be 'Closed'
        $info = Get-CapnpMessageInfo $file
        $info.State | Should -Be 'Checkpoint'
        $info.RecordCount | Should -Be 0
        @(Import-CapnpMessage -LiteralPath $file -WarningAction SilentlyContinue) | Should -HaveCount 0
    }
}
