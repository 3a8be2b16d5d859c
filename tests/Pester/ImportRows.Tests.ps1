#Requires -Version 7.4
# What Import-CapnpMessage gives back: objects of a class generated per struct (one property per field, in schema
# order), which must behave as ordinary objects in the cmdlets people pipe them to; each message of a stream read by
# its own carried schema; -First/-Skip across messages; progress on long reads.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:explicitFile = Join-Path $TestDrive 'explicit.bin'
    0..29 | ForEach-Object { New-TestRecord $_ } | Export-CapnpMessage -Path $explicitFile -Schema $Schema -RootType Batch
    $script:inferredFile = Join-Path $TestDrive 'inferred.bin'
    $script:sources = 0..29 | ForEach-Object {
        [pscustomobject]@{ Name = "item-$_"; Size = [long] ($_ * 100); When = [datetime]::new(2026, 1, 1, 0, 0, $_, [DateTimeKind]::Utc); Tags = @("a$_", 'b') }
    }
    $sources | Export-CapnpMessage -Path $inferredFile
    $script:explicit = @(Import-CapnpMessage -Path $explicitFile -Schema $Schema -RootType Batch)
    $script:inferred = @(Import-CapnpMessage -Path $inferredFile)
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'Imported objects are ordinary objects' {
    It 'have the fields as properties, in schema order, a union as its one member that is set' {
        $names = $explicit[0].PSObject.Properties.Name
        $names[0..5] | Should -Be @('id', 'pid', 'cpu', 'ratio', 'priority', 'name')
        $names | Should -Contain 'exitCode'
        $names | Should -Not -Contain 'message'
        $explicit[1].PSObject.Properties.Name | Should -Contain 'message'
        $explicit[1].PSObject.Properties.Name | Should -Not -Contain 'exitCode'
        $explicit[0].severity | Should -BeExactly 'debug'
        $explicit[0].host.name | Should -BeExactly 'host0'
        $explicit[3].location.rack | Should -Be 3
        ,$explicit[2].payload | Should -BeOfType [byte[]]
        $inferred[0].PSObject.Properties.Name | Should -Be @('Name', 'Size', 'When', 'Tags')
        $inferred[5].When | Should -BeOfType [datetime]
        $inferred[5].When | Should -Be $sources[5].When
    }

    It 'filter with Where-Object' {
        @($explicit | Where-Object pid -ge 25).Count | Should -Be 5
        @($explicit | Where-Object { $_.severity -eq 'error' }).pid | Should -Be @(3, 8, 13, 18, 23, 28)
        @($inferred | Where-Object Size -gt 2500).Name | Should -Be @('item-26', 'item-27', 'item-28', 'item-29')
    }

    It 'sort with Sort-Object' {
        ($explicit | Sort-Object pid -Descending | Select-Object -First 1).name | Should -BeExactly 'proc-29'
        ($inferred | Sort-Object When -Descending | Select-Object -First 2).Name | Should -Be @('item-29', 'item-28')
    }

    It 'format with Format-Table' {
        $table = $inferred | Select-Object -First 3 | Format-Table Name, Size | Out-String
        $table | Should -Match 'Name\s+Size'
        $table | Should -Match 'item-2\s+200'
        $explicit | Select-Object -First 2 | Format-Table | Out-String | Should -Match 'proc-1'
    }

    It 'export with Export-Csv: the fields as columns, in order' {
        $csv = Join-Path $TestDrive 'rows.csv'
        $inferred | Export-Csv -LiteralPath $csv
        $lines = Get-Content -LiteralPath $csv
        $lines[0] | Should -BeExactly '"Name","Size","When","Tags"'
        $lines.Count | Should -Be 31
        $back = Import-Csv -LiteralPath $csv
        $back[7].Name | Should -BeExactly 'item-7'
        $back[7].Size | Should -Be '700'
        $explicitCsv = Join-Path $TestDrive 'explicit.csv'
        $explicit | Export-Csv -LiteralPath $explicitCsv
        (Import-Csv -LiteralPath $explicitCsv)[4].name | Should -BeExactly 'proc-4'
    }

    It 'serialise with ConvertTo-Json, nested objects included' {
        $json = $explicit[0] | ConvertTo-Json -Depth 5 | ConvertFrom-Json
        $json.name | Should -BeExactly 'proc-0'
        $json.host.port | Should -Be 8000
        $json.tags | Should -Be @('t0', 'ops')
        ($json.PSObject.Properties.Name | Select-Object -First 3) | Should -Be @('id', 'pid', 'cpu')
        $inferredJson = $inferred[3] | ConvertTo-Json | ConvertFrom-Json
        $inferredJson.Name | Should -BeExactly 'item-3'
        $inferredJson.Size | Should -Be 300
    }

    It 'take new values and members like a PSCustomObject' {
        $row = Import-CapnpMessage -Path $inferredFile -First 1
        $row.Name = 'changed'
        $row.Name | Should -BeExactly 'changed'
        $row | Add-Member -NotePropertyName Extra -NotePropertyValue 42
        $row.Extra | Should -Be 42
    }

    It 'show like a PSCustomObject in a string' {
        "$($explicit[0].host)" | Should -BeExactly '@{name=host0; port=8000}'
    }
}

Describe 'Rows decoded when first read' {
    It 'stay whole after their file is overwritten, cut to nothing and deleted' {
        $file = Join-Path $TestDrive 'gone.bin'
        $sources | Export-CapnpMessage -Path $file
        $rows = @(Import-CapnpMessage -Path $file)
        $explicitRows = @(Import-CapnpMessage -Path $explicitFile -Schema $Schema -RootType Batch)
        # Nothing read yet: the rows hold copies of their records, not the file.
        [IO.File]::WriteAllBytes($file, [byte[]]::new(64))
        [IO.File]::WriteAllBytes($file, [byte[]]::new(0))
        Remove-Item -LiteralPath $file
        $rows.Count | Should -Be 30
        for ($i = 0; $i -lt 30; $i++) {
            $rows[$i].Name | Should -BeExactly "item-$i"
            $rows[$i].Size | Should -Be ($i * 100)
            $rows[$i].When | Should -Be $sources[$i].When
            $rows[$i].Tags | Should -Be @("a$i", 'b')
        }
        ($explicitRows | ConvertTo-Json -Depth 5) | Should -BeExactly ($explicit | ConvertTo-Json -Depth 5)
    }

    It 'are decoded once, alike, when read from many threads at once' {
        $rows = @(Import-CapnpMessage -Path $explicitFile -Schema $Schema -RootType Batch)
        $texts = $rows | ForEach-Object -ThrottleLimit 8 -Parallel { "$($_.id) $($_.name) $($_.tags -join ',')" }
        @($texts | Sort-Object) | Should -Be @($explicit | ForEach-Object { "$($_.id) $($_.name) $($_.tags -join ',')" } | Sort-Object)
    }

    It 'report a record the schema cannot read while the file is read (InvalidMessageFile), not when a row is first read' {
        # The same layout, but 'host' (a struct in the file) declared as Text: every record's host pointer is the wrong kind.
        $text = (Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot 'TestData/ops.capnp')) -replace 'host @9 :Host;', 'host @9 :Text;'
        $schemaFile = Join-Path $TestDrive 'ops-host-as-text.capnp'
        Set-Content -LiteralPath $schemaFile -Value $text
        $wrong = Import-CapnpSchema -Path $schemaFile
        $rows = @(Import-CapnpMessage -Path $explicitFile -Schema $wrong -RootType Batch -ErrorVariable failures -ErrorAction SilentlyContinue)
        $rows.Count | Should -Be 0
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidMessageFile,*'
        $failures[0].Exception.Message | Should -Match 'Expected a Text pointer'
    }
}

Describe 'A stream of messages with different schemas' {
    It 'reads each message by the schema it carries (-Append -Force of another inferred schema)' {
        $file = Join-Path $TestDrive 'two-shapes.bin'
        1..3 | ForEach-Object { [pscustomobject]@{ Host = "h$_"; Port = 8000 + $_ } } | Export-CapnpMessage -Path $file
        $second = 1..2 | ForEach-Object { [pscustomobject]@{ User = "u$_"; Admin = ($_ -eq 1); Since = [datetime]::new(2020, 1, $_, 0, 0, 0, [DateTimeKind]::Utc) } }
        $secondSchema = ConvertTo-CapnpSchema -InputObject $second
        $second | Export-CapnpMessage -Path $file -Schema $secondSchema -RootType Batch -Append -Force
        $back = @(Import-CapnpMessage -Path $file)
        $back.Count | Should -Be 5
        $back[0].PSObject.Properties.Name | Should -Be @('Host', 'Port')
        $back[2].Port | Should -Be 8003
        $back[3].PSObject.Properties.Name | Should -Be @('User', 'Admin', 'Since')
        $back[3].Admin | Should -BeTrue
        $back[4].Since | Should -Be ([datetime]::new(2020, 1, 2, 0, 0, 0, [DateTimeKind]::Utc))
    }

    It 'skips and stops across messages' {
        $file = Join-Path $TestDrive 'skip.bin'
        0..4 | ForEach-Object { [pscustomobject]@{ N = $_ } } | Export-CapnpMessage -Path $file
        $second = 5..9 | ForEach-Object { [pscustomobject]@{ M = $_; Label = "m$_" } }
        $second | Export-CapnpMessage -Path $file -Schema (ConvertTo-CapnpSchema -InputObject $second) -RootType Batch -Append -Force
        (Import-CapnpMessage -Path $file -Skip 3 -First 4) | ForEach-Object { if ($_.PSObject.Properties['N']) { $_.N } else { $_.M } } |
            Should -Be @(3, 4, 5, 6)
        (Import-CapnpMessage -Path $file -Skip 8).M | Should -Be @(8, 9)
        @(Import-CapnpMessage -Path $file -Skip 10) | Should -BeNullOrEmpty
    }

    It 'reads every message by a given -Schema' {
        $file = Join-Path $TestDrive 'explicit-two.bin'
        0..2 | ForEach-Object { New-TestRecord $_ } | Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch
        3..4 | ForEach-Object { New-TestRecord $_ } | Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch -Append
        (Import-CapnpMessage -Path $file -Schema $Schema -RootType Batch).pid | Should -Be @(0, 1, 2, 3, 4)
    }
}

Describe 'Progress on long reads' {
    It 'reports progress every 65536 records and completes it' {
        $file = Join-Path $TestDrive 'long.bin'
        Export-CapnpMessage -Path $file -InputObject @(1..70000 | ForEach-Object { [pscustomobject]@{ N = $_ } })
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$ModuleManifest'; `$ProgressPreference = 'Continue'; (Import-CapnpMessage -Path '$file' | Measure-Object).Count")
            $count = $ps.Invoke()
            $count | Should -Be 70000
            $records = @($ps.Streams.Progress | Where-Object Activity -like 'Import-CapnpMessage*')
            $records.Count | Should -Be 2
            $records[0].StatusDescription | Should -BeExactly ('{0:N0} records' -f 65536)
            $records[-1].RecordType | Should -Be 'Completed'
        }
        finally { $ps.Dispose() }
    }
}
