#Requires -Version 7.4
# Explicit schemas take what PowerShell hands over: Import-Csv rows whose headers are the field names (empty
# union cells included), Get-Process objects with DateTime start times and throwing getters, one-element lists.
# Every file is checked with the reference reader, capnp convert.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # Fields named after Process properties, as a new user writes them.
    $script:ProcSchemaPath = Join-Path $TestDrive 'procs.capnp'
    Set-Content -LiteralPath $ProcSchemaPath -Value @'
@0xd2c1b6a8e4f30917;
struct Proc {
  id @0 :Int32;
  processName @1 :Text;
  workingSet64 @2 :Int64;
  startTime @3 :Int64;
  startText @4 :Text;
  exitCode @5 :Int32;
  totalProcessorTime @6 :Float64;
}
struct Snap {
  procs @0 :List(Proc);
}
'@
    $script:EpochTicks = [DateTime]::UnixEpoch.Ticks
    function ConvertTo-UnixTicks([datetime] $When) { $When.ToUniversalTime().Ticks - $EpochTicks }
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'Import-Csv | Export-CapnpMessage with headers that are the field names' {
    BeforeAll {
        # Every top-level field of ops.capnp's Record; a row has a cell for each union member (none, exitCode,
        # message), and only one of them is non-empty, or none is. host and location (a struct and a group) stay
        # empty: a CSV cell cannot hold an object.
        $script:CsvPath = Join-Path $TestDrive 'records.csv'
        Set-Content -LiteralPath $CsvPath -Value @(
            'id,pid,cpu,ratio,priority,name,severity,payload,tags,host,location,none,exitCode,message,ok'
            '1,10,0.5,0.25,7,alpha,warning,AQID,ops,,,,3,,true'
            '2,20,,,,beta,,,,,,,,disk full,false'
            '3,30,1.5,,,gamma,error,,,,,x,,,'
            '4,,,,,delta,,,,,,,,,'
            '5,50,2,,,"",critical,,batch,,,,-1,,yes'
        )
        $script:CsvFile = Join-Path $TestDrive 'records.bin'
        $script:Errors = @()
        Import-Csv -LiteralPath $CsvPath | Export-CapnpMessage -Path $CsvFile -Schema $Schema -RootType Batch -ErrorVariable +script:Errors -ErrorAction SilentlyContinue
        $script:Json = ConvertFrom-CapnpFile $CsvFile
    }

    It 'writes every row with no RecordConversionFailed' {
        @($Errors | Where-Object { "$($_.FullyQualifiedErrorId)" -like 'RecordConversionFailed*' }) | Should -BeNullOrEmpty
        $Errors | Should -BeNullOrEmpty
        $Json.records.Count | Should -Be 5
    }

    It 'selects the union member of the one non-empty cell, and the first member when all are empty' {
        $r = $Json.records
        $r[0].exitCode | Should -Be 3
        $r[0].PSObject.Properties.Name | Should -Not -Contain 'message'
        $r[1].message | Should -Be 'disk full'
        $r[1].PSObject.Properties.Name | Should -Not -Contain 'exitCode'
        $r[2].PSObject.Properties.Name | Should -Contain 'none'
        $r[3].PSObject.Properties.Name | Should -Contain 'none'    # all empty: no discriminant, member 0
        $r[4].exitCode | Should -Be -1
    }

    It 'converts the other cells by the field types, empty cells leaving defaults' {
        $r = $Json.records
        [uint64] $r[0].id | Should -Be 1
        $r[0].cpu | Should -Be 0.5
        $r[0].severity | Should -Be 'warning'
        [Convert]::FromBase64String('AQID') | Should -Be ([byte[]] (1, 2, 3))
        $r[0].payload | Should -Be @(1, 2, 3)
        $r[0].tags | Should -Be @('ops')                         # a single value is a one-element list
        $r[0].ok | Should -BeTrue
        $r[1].cpu | Should -Be 0
        $r[1].severity | Should -Be 'debug'
        $r[1].PSObject.Properties.Name | Should -Not -Contain 'tags'
        $r[3].pid | Should -Be 0
        $r[4].name | Should -Be ''                                # an empty cell outside a union is empty Text
        $r[4].ok | Should -BeTrue
    }
}

Describe 'Get-Process into an explicit schema' {
    It 'writes Get-Process | Select-Object with a DateTime startTime into Int64 (100 ns ticks since 1970 UTC) and Text' {
        $file = Join-Path $TestDrive 'select.bin'
        $procs = @(Get-Process | Select-Object Id, ProcessName, WorkingSet64, StartTime, @{ n = 'startText'; e = { $_.StartTime } })
        $procs | Export-CapnpMessage -Path $file -Schema $ProcSchemaPath -RootType Snap
        $json = ConvertFrom-CapnpFile $file -Type Snap -SchemaFile $ProcSchemaPath
        $json.procs.Count | Should -Be $procs.Count
        $self = $procs | Where-Object Id -EQ $PID
        $row = $json.procs | Where-Object id -EQ $PID
        [long] $row.startTime | Should -Be (ConvertTo-UnixTicks $self.StartTime)
        # Read back by CapMap: ConvertFrom-Json would turn the ISO text into a DateTime of its own.
        $back = Import-CapnpMessage -Path $file -Schema $ProcSchemaPath -RootType Snap | Where-Object id -EQ $PID
        $back.startText | Should -Be $self.StartTime.ToString('o', [cultureinfo]::InvariantCulture)
        $row.processName | Should -Be $self.ProcessName
        [long] $row.workingSet64 | Should -Be $self.WorkingSet64
    }

    It 'writes Get-Process as it is: a throwing getter (ExitCode of a running process) reads as null, a TimeSpan as seconds' {
        $file = Join-Path $TestDrive 'raw.bin'
        $self = Get-Process -Id $PID
        # PowerShell's own property syntax hides the exception; the getter itself throws.
        { [Diagnostics.Process].GetProperty('ExitCode').GetValue($self) } | Should -Throw
        Get-Process -Id $PID | Export-CapnpMessage -Path $file -Schema $ProcSchemaPath -RootType Snap
        $row = (ConvertFrom-CapnpFile $file -Type Snap -SchemaFile $ProcSchemaPath).procs[0]
        $row.id | Should -Be $PID
        $row.exitCode | Should -Be 0
        [long] $row.startTime | Should -Be (ConvertTo-UnixTicks $self.StartTime)
        $row.totalProcessorTime | Should -BeGreaterThan 0
        $row.totalProcessorTime | Should -BeLessOrEqual ((Get-Process -Id $PID).TotalProcessorTime.TotalSeconds)
    }
}

Describe 'Plain values PowerShell wraps' {
    It 'a wrapped [uri], [version] or [ipaddress] goes into a Text field as for a schema CapMap infers (one plain-value rule)' {
        $schemaPath = Join-Path $TestDrive 'links.capnp'
        Set-Content -LiteralPath $schemaPath -Value @'
@0xb3f7c2d1e5a60918;
struct Link {
  uri @0 :Text;
  version @1 :Text;
  address @2 :Text;
}
struct Links {
  links @0 :List(Link);
}
'@
        $file = Join-Path $TestDrive 'links.bin'
        # Pipeline output arrives wrapped in PSObjects; the module sees through the wrapper by the type table's rule.
        $record = [pscustomobject]@{
            uri = [psobject]::AsPSObject([uri]'https://example.org/a b')
            version = [psobject]::AsPSObject([version]'1.2.3')
            address = [psobject]::AsPSObject([Net.IPAddress]::Parse('fe80::1'))
        }
        $record | Export-CapnpMessage -Path $file -Schema $schemaPath -RootType Links -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures | Should -BeNullOrEmpty
        $back = Import-CapnpMessage -Path $file -Schema $schemaPath -RootType Links
        $back.uri | Should -BeExactly 'https://example.org/a b'
        $back.version | Should -BeExactly '1.2.3'
        $back.address | Should -BeExactly 'fe80::1'
    }
}
