#Requires -Version 7.4
# End to end: a generated CSV of 100,000 rows -> Import-Csv -> Select-Object into nested objects ->
# Export-CapnpMessage -> `capnp convert binary:json` (the reference reader) -> the same values; then
# Import-CapnpMessage reads the file back.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:RowCount = 100000
    $script:Csv = Join-Path $TestDrive 'ops.csv'
    $severities = 'debug', 'info', 'warning', 'error', 'critical'
    $sb = [Text.StringBuilder]::new()
    $null = $sb.AppendLine('Id,Pid,Cpu,Priority,Process,Severity,Tags,Host,Port,Region,Rack,Exit,Message,Ok')
    for ($i = 0; $i -lt $RowCount; $i++) {
        $exit = if ($i % 2 -eq 0) { $i % 256 } else { '' }
        $msg = if ($i % 2 -eq 1) { "line $i, ""quoted""" } else { '' }
        $null = $sb.AppendLine(('{0},{1},{2},{3},proc-{0},{4},"a{5};b",host-{6},{7},region-{8},{9},{10},"{11}",{12}' -f
                $i, (10000 + $i), ($i * 0.25), ($i % 256), $severities[$i % 5], ($i % 10), ($i % 13), (1024 + $i % 1000),
                ($i % 4), ($i % 50), $exit, $msg.Replace('"', '""'), (($i % 3) -eq 0).ToString().ToLowerInvariant()))
    }
    [IO.File]::WriteAllText($Csv, $sb.ToString())

    $script:Message = Join-Path $TestDrive 'ops.bin'
    $script:Elapsed = Measure-Command {
        Import-Csv -LiteralPath $Csv |
            Select-Object @{ n = 'id'; e = { $_.Id } }, @{ n = 'pid'; e = { $_.Pid } }, @{ n = 'cpu'; e = { $_.Cpu } },
                @{ n = 'priority'; e = { $_.Priority } }, @{ n = 'name'; e = { $_.Process } }, @{ n = 'severity'; e = { $_.Severity } },
                @{ n = 'tags'; e = { $_.Tags -split ';' } },
                @{ n = 'host'; e = { [pscustomobject]@{ name = $_.Host; port = $_.Port } } },
                @{ n = 'location'; e = { [pscustomobject]@{ region = $_.Region; rack = $_.Rack } } },
                @{ n = 'exitCode'; e = { if ($_.Exit) { $_.Exit } } }, @{ n = 'message'; e = { if ($_.Message) { $_.Message } } },
                @{ n = 'ok'; e = { $_.Ok } } |
            Export-CapnpMessage -Path $Message -Schema $Schema -RootType Batch -Property @{ source = 'ops.csv'; createdUnix = 1700000000 }
    }
    $script:Json = ConvertFrom-CapnpFile $Message
    $script:Rows = Import-Csv -LiteralPath $Csv
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'CSV -> Export-CapnpMessage -> capnp convert' {
    It 'wrote a complete file with every row' {
        Write-Host "Exported $RowCount rows in $([math]::Round($Elapsed.TotalSeconds, 1)) s"
        $info = Get-CapnpMessageInfo $Message
        $info.State | Should -Be 'Complete'
        $info.RecordCount | Should -Be $RowCount
        $info.SlackBytes | Should -Be 0
    }

    It 'is read by the reference capnp tool with the same count and root fields' {
        $Json.source | Should -Be 'ops.csv'
        $Json.createdUnix | Should -Be '1700000000'
        $Json.records.Count | Should -Be $RowCount
    }

    It 'holds the same values as the CSV (spot check of 2,000 rows spread over the file)' {
        $rng = [Random]::new(12345)
        $indexes = @(0, 1, 2, ($RowCount - 1)) + @(1..1996 | ForEach-Object { $rng.Next(0, $RowCount) })
        $inv = [Globalization.CultureInfo]::InvariantCulture
        $mismatches = foreach ($i in $indexes) {
            $row = $Rows[$i]
            $r = $Json.records[$i]
            $expected = [ordered]@{
                id = $row.Id; pid = [int] $row.Pid; cpu = [double]::Parse($row.Cpu, $inv); priority = [int] $row.Priority
                name = $row.Process; severity = $row.Severity; tags = $row.Tags -replace ';', ','
                hostName = $row.Host; hostPort = [int] $row.Port; region = $row.Region; rack = [int] $row.Rack; ok = $row.Ok -eq 'true'
                union = if ($row.Exit) { "exitCode=$([int] $row.Exit)" } else { "message=$($row.Message)" }
            }
            $actual = [ordered]@{
                id = $r.id; pid = $r.pid; cpu = $r.cpu; priority = $r.priority
                name = $r.name; severity = $r.severity; tags = $r.tags -join ','
                hostName = $r.host.name; hostPort = $r.host.port; region = $r.location.region; rack = $r.location.rack; ok = $r.ok
                union = if ($null -ne $r.PSObject.Properties['exitCode']) { "exitCode=$($r.exitCode)" } else { "message=$($r.message)" }
            }
            foreach ($key in $expected.Keys) {
                if ($expected[$key] -ne $actual[$key]) { "row ${i} ${key}: expected '$($expected[$key])', got '$($actual[$key])'" }
            }
        }
        $mismatches | Should -BeNullOrEmpty
    }

    It 'reads back with Import-CapnpMessage to the same values' {
        $i = 0
        $mismatch = 0
        Import-CapnpMessage -Path $Message -Schema $Schema -RootType Batch | ForEach-Object {
            if ($i % 97 -eq 0) {
                $row = $Rows[$i]
                if ($_.id -ne [uint64] $row.Id -or $_.name -ne $row.Process -or $_.severity -ne $row.Severity -or
                    $_.location.rack -ne [int] $row.Rack -or ($row.Exit -and $_.exitCode -ne [int] $row.Exit) -or
                    (-not $row.Exit -and $_.message -ne $row.Message)) { $mismatch++ }
            }
            $i++
        }
        $i | Should -Be $RowCount
        $mismatch | Should -Be 0
    }
}
