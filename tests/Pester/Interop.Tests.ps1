#Requires -Version 7.4
# Files that carry their schema, read by readers we did not write, by the schema text Get-CapnpSchema -AsText gives.
# The round trips of issue 10's list (Get-Process, Get-ChildItem, ConvertFrom-Json, Import-Csv, the type table) run
# the same check from ObjectsAsTheyCome.Tests.ps1 (ConvertFrom-CarriedSchema); the C++ flat-array reader is in
# tests/Unit/Interop/CarriedSchemaReaderTests.cs.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'StockReaders.ps1')

    function Invoke-CapnpJson([string] $File, [string] $SchemaFile, [string] $Type = 'Batch') {
        $json = & bash -c 'capnp convert binary:json "$0" "$1" < "$2"' $SchemaFile $Type $File
        if ($LASTEXITCODE -ne 0) { throw "capnp convert failed on '$File' by '$SchemaFile' (exit code $LASTEXITCODE)." }
        $json -join "`n"
    }
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'The readers check' {
    It 'fails when the schema text lays a field out elsewhere than the file' {
        $file = Join-Path $TestDrive 'two.bin'
        0..4 | ForEach-Object { [pscustomobject]@{ First = [long]$_; Second = [long](100 + $_) } } | Export-CapnpMessage -Path $file
        $schemaFile = Save-CarriedSchemaText $file
        Assert-StockReadersAgree -File $file -SchemaFile $schemaFile
        $text = Get-Content -LiteralPath $schemaFile -Raw
        $text | Should -Match 'first @0 :Int64'
        $swapped = Join-Path $TestDrive 'swapped.capnp'
        # The names trade places: "second" now names the slot "first" was written to.
        $text.Replace('first @0 :Int64', 'tmp @0 :Int64').Replace('second @1 :Int64', 'first @1 :Int64').Replace('tmp @0 :Int64', 'second @0 :Int64') |
            Set-Content -LiteralPath $swapped
        { Assert-StockReadersAgree -File $file -SchemaFile $swapped } | Should -Throw '*read record 0 alike*'
    }
}

Describe 'Get-CapnpSchema -AsText of an explicit schema' {
    It 'writes unions, a group, an enum and a nested struct that decode the file exactly as the original schema' {
        $file = Join-Path $TestDrive 'ops.bin'
        0..29 | ForEach-Object { New-TestRecord $_ } | Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch
        $text = Get-CapnpSchema -LiteralPath $file -AsText -ErrorAction Stop
        $text | Should -Match 'union \{'
        $text | Should -Match 'location :group'
        $text | Should -Match ([regex]::Escape("struct Record @0x{0:x16}" -f $Schema.SchemaSet.GetStruct('Record').Id))
        $schemaFile = Join-Path $TestDrive 'recovered.capnp'
        $text | Set-Content -LiteralPath $schemaFile
        $recovered = Invoke-CapnpJson $file $schemaFile
        $recovered | Should -BeExactly (Invoke-CapnpJson $file $SchemaPath)
        ($recovered | ConvertFrom-Json).records[3].exitCode | Should -Be -3
    }

    It 'gives a schema Import-CapnpSchema loads with the layout of the original' {
        $file = Join-Path $TestDrive 'report.bin'
        0..2 | ForEach-Object { New-TestRecord $_ } | Export-CapnpMessage -Path $file -Schema $Schema -RootType Report -Field records
        $schemaFile = Join-Path $TestDrive 'report.capnp'
        Get-CapnpSchema -LiteralPath $file -AsText | Set-Content -LiteralPath $schemaFile
        $again = Import-CapnpSchema -LiteralPath $schemaFile
        foreach ($name in 'Report', 'Record', 'Host', 'Detail') {
            $a = $Schema.SchemaSet.GetStruct($name); $b = $again.SchemaSet.GetStruct($name)
            "$($b.Id) $($b.DataWordCount) $($b.PointerCount) $($b.DiscriminantOffset)" | Should -Be "$($a.Id) $($a.DataWordCount) $($a.PointerCount) $($a.DiscriminantOffset)" -Because $name
            ($b.FieldsInSchemaOrder | ForEach-Object { "$($_.Name)@$($_.Ordinal)+$($_.Offset)/$($_.DiscriminantValue)" }) -join ' ' |
                Should -Be (($a.FieldsInSchemaOrder | ForEach-Object { "$($_.Name)@$($_.Ordinal)+$($_.Offset)/$($_.DiscriminantValue)" }) -join ' ') -Because $name
        }
        @(Import-CapnpMessage -LiteralPath $file -Schema $again -RootType Report -Field records).Count | Should -Be 3
    }
}

Describe 'capnp-es over a stream of messages' {
    It 'reads both messages of a file made with -Append, by the schema text the file carries' {
        $file = Join-Path $TestDrive 'stream.bin'
        $first = 0..9 | ForEach-Object { [pscustomobject]@{ Id = $_; Name = "n$_"; When = [datetime]::new(2026, 1, 1, 0, 0, $_, [DateTimeKind]::Utc) } }
        $first | Export-CapnpMessage -Path $file
        $first[0..2] | Export-CapnpMessage -Path $file -Append
        @(Get-CapnpMessageInfo -LiteralPath $file).Count | Should -Be 2
        $schemaFile = Save-CarriedSchemaText $file
        $lines = @(Read-WithCapnpEs -File $file -SchemaFile $schemaFile -Type Batch)
        $lines.Count | Should -Be 2
        ($lines[0] | ConvertFrom-Json).records.Count | Should -Be 10
        ($lines[1] | ConvertFrom-Json).records.Count | Should -Be 3
        ($lines[1] | ConvertFrom-Json).records[2].name | Should -BeExactly 'n2'
        ($lines[1] | ConvertFrom-Json).records[2].when | Should -Be ([string](([datetime]::new(2026, 1, 1, 0, 0, 2, [DateTimeKind]::Utc) - [datetime]::UnixEpoch).Ticks))
    }
}
