#Requires -Version 7.4
# Objects as they come: no schema anywhere. Export-CapnpMessage infers one, every file carries it, Import-CapnpMessage
# gives the objects back with their names and .NET types, and the schema's .capnp text decodes the file with capnp.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'StockReaders.ps1')

    # Decodes a file with the capnp tool by the schema the file carries (Get-CapnpSchema -AsText, compiled by capnp),
    # after checking that capnp, capnp-es and CapMap read every record of it alike by that schema. A file of several
    # messages (live objects such as processes can change between the sample and the write: a process that exits
    # meanwhile gains an ExitCode, which the schema of the sample has no type for) is checked and decoded message by
    # message, each by its own schema; the records of all of them are returned in order.
    function ConvertFrom-CarriedSchema([string] $File) {
        $messages = @(Get-CapnpMessageInfo -LiteralPath $File -ErrorAction Stop)
        if ($messages.Count -eq 1) {
            $schemaFile = Save-CarriedSchemaText $File
            Assert-StockReadersAgree -File $File -SchemaFile $schemaFile
            return ConvertFrom-CapnpFile -File $File -Type Batch -SchemaFile $schemaFile
        }
        $bytes = [IO.File]::ReadAllBytes($File)
        $records = foreach ($message in $messages) {
            $one = [IO.Path]::ChangeExtension($File, ".message$($message.Index).bin")
            $messageBytes = [byte[]]::new($message.MessageBytes)
            [Array]::Copy($bytes, $message.Offset, $messageBytes, 0, $message.MessageBytes)
            [IO.File]::WriteAllBytes($one, $messageBytes)
            $schemaFile = [IO.Path]::ChangeExtension($one, '.capnp')
            Get-CapnpSchema -LiteralPath $File -MessageIndex $message.Index -AsText -ErrorAction Stop | Set-Content -LiteralPath $schemaFile
            Assert-StockReadersAgree -File $File -MessageIndex $message.Index -MessageFile $one -SchemaFile $schemaFile
            (ConvertFrom-CapnpFile -File $one -Type Batch -SchemaFile $schemaFile).records
        }
        [pscustomobject]@{ records = @($records) }
    }
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'Round trips with no schema' {
    It 'Get-Process, piped as it is' {
        $file = Join-Path $TestDrive 'procs.bin'
        $procs = Get-Process
        $procs | Export-CapnpMessage -Path $file -WarningAction SilentlyContinue
        $back = @(Import-CapnpMessage -Path $file)
        $back.Count | Should -Be $procs.Count
        for ($i = 0; $i -lt $procs.Count; $i++) {
            $back[$i].Id | Should -Be $procs[$i].Id
            $back[$i].Id | Should -BeOfType [int]
            $back[$i].ProcessName | Should -BeExactly $procs[$i].ProcessName
            $back[$i].WorkingSet64 | Should -BeOfType [long]
            if ($null -ne $procs[$i].StartTime) {
                $back[$i].StartTime | Should -BeOfType [datetime]
                [math]::Abs(($back[$i].StartTime - $procs[$i].StartTime).TotalMilliseconds) | Should -BeLessThan 1
            }
        }
        $back[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.System.Diagnostics.Process'

        $json = ConvertFrom-CarriedSchema $file
        $json.records.Count | Should -Be $procs.Count
        $json.records[0].Id | Should -Be $procs[0].Id
        $json.records[0].ProcessName | Should -BeExactly $procs[0].ProcessName
    }

    It 'Get-ChildItem -Recurse over a tree of 10,000 entries' {
        $root = Join-Path $TestDrive 'tree'
        foreach ($d in 0..99) {
            $dir = New-Item -ItemType Directory -Path (Join-Path $root "d$d") -Force
            foreach ($f in 0..98) { [IO.File]::WriteAllText((Join-Path $dir.FullName "f$f.txt"), 'x' * $f) }
        }
        $file = Join-Path $TestDrive 'tree.bin'
        $items = Get-ChildItem -LiteralPath $root -Recurse
        $items.Count | Should -BeGreaterOrEqual 10000
        Get-ChildItem -LiteralPath $root -Recurse | Export-CapnpMessage -Path $file -WarningAction SilentlyContinue
        $back = @(Import-CapnpMessage -Path $file)
        $back.Count | Should -Be $items.Count
        foreach ($i in 0, 1, 150, 5000, ($items.Count - 1)) {
            $back[$i].FullName | Should -BeExactly $items[$i].FullName
            $back[$i].Name | Should -BeExactly $items[$i].Name
            $back[$i].LastWriteTimeUtc | Should -BeOfType [datetime]
            $back[$i].LastWriteTimeUtc | Should -Be $items[$i].LastWriteTimeUtc
            $back[$i].Attributes | Should -Be $items[$i].Attributes
            if ($items[$i] -is [IO.FileInfo]) {
                $back[$i].Length | Should -Be $items[$i].Length
                $back[$i].Length | Should -BeOfType [long]
            }
        }
        $files = @($back | Where-Object { $_.Name -like 'f*.txt' })
        $files.Count | Should -Be 9900
        # A directory has no Length: it comes back as a DirectoryInfo of its own properties (files and folders are a
        # union of one struct per type), as Clixml gives it back, not as 0 like an empty file.
        $dirs = @($back | Where-Object { $_.Name -like 'd*' -and $_.Name -notlike '*.txt' })
        $dirs.Count | Should -Be 100
        foreach ($d in $dirs) {
            $d.PSTypeNames[0] | Should -Be 'Deserialized.System.IO.DirectoryInfo'
            $d.PSObject.Properties['Length'] | Should -BeNullOrEmpty
        }
        $empty = @($back | Where-Object { $_.Name -eq 'f0.txt' })
        $empty.Count | Should -Be 100
        foreach ($f in $empty) {
            $f.Length | Should -Be 0
            $f.Length | Should -BeOfType [long]
        }

        $json = ConvertFrom-CarriedSchema $file
        $json.records.Count | Should -Be $items.Count
        # Each record is the union member of its type: capnp names it (fileInfo, directoryInfo).
        $json.records[5000].fileInfo.FullName | Should -BeExactly $items[5000].FullName
        $json.records[0].directoryInfo.Name | Should -BeExactly 'd0' # Get-ChildItem lists the directory d0 first
        $json.records[0].directoryInfo.PSObject.Properties['length'] | Should -BeNullOrEmpty
    }

    It 'ConvertFrom-Json of a nested document gives the same JSON back' {
        $text = @'
{
  "name": "cluster-a",
  "size": 3,
  "healthy": true,
  "load": 0.75,
  "owner": { "team": "ops", "contact": { "mail": "ops@example.org", "pager": 4711 } },
  "nodes": [
    { "host": "n1", "port": 8001, "roles": [ "api", "db" ] },
    { "host": "n2", "port": 8002, "roles": [ "api" ] }
  ],
  "tags": [ "prod", "eu" ]
}
'@
        $doc = $text | ConvertFrom-Json
        $file = Join-Path $TestDrive 'json.bin'
        $doc | Export-CapnpMessage -Path $file -Depth 3
        $back = Import-CapnpMessage -Path $file
        ($back | ConvertTo-Json -Depth 10) | Should -BeExactly ($doc | ConvertTo-Json -Depth 10)

        $json = ConvertFrom-CarriedSchema $file
        $json.records[0].name | Should -BeExactly 'cluster-a'
        $json.records[0].nodes[1].host | Should -BeExactly 'n2'
    }

    It 'Import-Csv' {
        $csv = Join-Path $TestDrive 'ops.csv'
        @('Id,Host Name,Port,Note', '1,alpha,8080,first', '2,beta,,', '3,gamma,9090,"with, comma"') | Set-Content -LiteralPath $csv
        $rows = Import-Csv -LiteralPath $csv
        $file = Join-Path $TestDrive 'csv.bin'
        $rows | Export-CapnpMessage -Path $file
        $back = @(Import-CapnpMessage -Path $file)
        $back.Count | Should -Be 3
        ($back | ConvertTo-Csv) | Should -Be ($rows | ConvertTo-Csv)
        $back[1].'Host Name' | Should -BeExactly 'beta'
        $back[1].Port | Should -BeExactly ''

        $json = ConvertFrom-CarriedSchema $file
        $json.records[2].Note | Should -BeExactly 'with, comma'
    }

    It 'one object holding every row of the type table' {
        $when = [datetime]::new(2026, 12, 1, 10, 20, 30, 123, [DateTimeKind]::Utc)
        $record = [pscustomobject][ordered]@{
            Bool = $true; SByte = [sbyte]-5; Byte = [byte]250; Int16 = [int16]-30000; UInt16 = [uint16]60000
            Int32 = -2000000000; UInt32 = [uint32]4000000000; Int64 = [long]::MinValue; UInt64 = [ulong]::MaxValue
            Single = [single]1.5; Double = 2.25; Decimal = [decimal]'12345.6789'; String = 'text'; Char = [char]'Z'
            DateTime = $when; DateTimeOffset = [DateTimeOffset]::new(2026, 12, 1, 10, 20, 30, [TimeSpan]::FromHours(2))
            TimeSpan = [TimeSpan]::FromMinutes(90); Guid = [guid]'0f8fad5b-d9cb-469f-a165-70867728950e'
            Version = [version]'1.2.3.4'; Uri = [uri]'https://example.org/a?b=c'; IPAddress = [Net.IPAddress]::Parse('10.1.2.3')
            Enum = [DayOfWeek]::Friday; Flags = [IO.FileAttributes]'ReadOnly, Hidden'; Bytes = [byte[]](1, 2, 3)
            Ints = [int[]](1, 2, 3); Strings = [Collections.Generic.List[string]]@('a', 'b'); Dates = [datetime[]]@($when)
            Table = @{ k = 'v' }; Nested = [pscustomobject]@{ Inner = 7 }
        }
        $file = Join-Path $TestDrive 'types.bin'
        $record | Export-CapnpMessage -Path $file
        $back = Import-CapnpMessage -Path $file
        foreach ($p in $record.PSObject.Properties) {
            $got = $back.($p.Name)
            if ($p.Name -in 'Table', 'Nested') { continue }
            $got.GetType() | Should -Be $p.Value.GetType() -Because $p.Name
            if ($got -is [array] -or $got -is [Collections.IList]) { @($got) | Should -Be @($p.Value) -Because $p.Name }
            else { $got | Should -Be $p.Value -Because $p.Name }
        }
        $back.DateTimeOffset.Offset | Should -Be ([TimeSpan]::FromHours(2))
        $back.DateTime.Kind | Should -Be 'Utc'
        $back.Table | Should -BeOfType [hashtable]
        $back.Table.k | Should -BeExactly 'v'
        $back.Nested.Inner | Should -Be 7

        $json = ConvertFrom-CarriedSchema $file
        $json.records[0].String | Should -BeExactly 'text'
        $json.records[0].Int32 | Should -Be -2000000000
    }

    It '[bigint], [Int128], [UInt128] and [Half] come back as themselves, BigInteger as its digits for other readers' {
        $big = [bigint]::Parse('-123456789012345678901234567890123456789')
        $records = @(
            [pscustomobject]@{ Big = $big; I128 = [Int128]::MinValue; U128 = [UInt128]::MaxValue; Half = [Half]1.5 }
            [pscustomobject]@{ Big = [bigint]7; I128 = [Int128]42; U128 = [UInt128]0; Half = [Half]-0.25 }
        )
        $file = Join-Path $TestDrive 'numbers.bin'
        $records | Export-CapnpMessage -Path $file
        $back = @(Import-CapnpMessage -Path $file)
        $back.Count | Should -Be 2
        for ($i = 0; $i -lt 2; $i++) {
            foreach ($name in 'Big', 'I128', 'U128', 'Half') {
                $back[$i].$name.GetType() | Should -Be $records[$i].$name.GetType() -Because $name
                $back[$i].$name | Should -Be $records[$i].$name -Because $name
            }
        }

        $json = ConvertFrom-CarriedSchema $file
        $json.records[0].Big | Should -BeExactly '-123456789012345678901234567890123456789'
        $json.records[0].U128 | Should -BeExactly '340282366920938463463374607431768211455'
    }

    It 'an integer property that also holds a [bigint] widens to [bigint]' {
        $file = Join-Path $TestDrive 'widen.bin'
        @([pscustomobject]@{ n = 5 }, [pscustomobject]@{ n = [bigint]::Pow(10, 30) }) | Export-CapnpMessage -Path $file
        $back = @(Import-CapnpMessage -Path $file)
        $back[0].n | Should -BeOfType [bigint]
        $back[0].n | Should -Be ([bigint]5)
        $back[1].n | Should -Be ([bigint]::Pow(10, 30))
    }

    It 'a string with a lone surrogate comes back exactly (WTF-8), not as U+FFFD' {
        $file = Join-Path $TestDrive 'surrogate.bin'
        $text = "a$([char]0xD800)b$([char]0xDC00)"
        [pscustomobject]@{ s = $text; ok = 'plain ✓ 😀' } | Export-CapnpMessage -Path $file
        $back = Import-CapnpMessage -Path $file
        $back.s | Should -BeExactly $text
        $back.s.Length | Should -Be 4
        $back.ok | Should -BeExactly 'plain ✓ 😀'
    }
}

Describe 'Dictionaries below the record are maps' {
    # A dictionary-valued property is a List(Entry) { key; value }: each record keeps exactly its own keys, in their
    # order (before, it was a struct of the union of every record's keys, the others null).
    It 'gives each record its own keys (issue 21''s repro)' {
        $file = Join-Path $TestDrive 'tags.bin'
        $in = [pscustomobject]@{ name = 'a'; tags = @{ x = 1 } }, [pscustomobject]@{ name = 'b'; tags = @{ y = 'two' } }
        $in | Export-CapnpMessage -Path $file
        $back = @(Import-CapnpMessage -Path $file)
        $back[0].tags | Should -BeOfType [hashtable]
        # Values of one map join as property values do: 1 and 'two' make a union, so each keeps its type.
        $back[0] | ConvertTo-Json -Compress | Should -BeExactly ($in[0] | ConvertTo-Json -Compress)
        $back[1] | ConvertTo-Json -Compress | Should -BeExactly ($in[1] | ConvertTo-Json -Compress)
    }

    It 'gives each value its type where the values agree' {
        $file = Join-Path $TestDrive 'counts.bin'
        $in = [pscustomobject]@{ name = 'a'; counts = @{ x = 1 } }, [pscustomobject]@{ name = 'b'; counts = @{ y = 2; z = $null } }
        $in | Export-CapnpMessage -Path $file
        $back = @(Import-CapnpMessage -Path $file)
        $back[0] | ConvertTo-Json -Compress | Should -BeExactly ($in[0] | ConvertTo-Json -Compress)
        # A hashtable's enumeration order is its hashing's, not a promise: the keys and values are compared.
        @($back[1].counts.Keys | Sort-Object) | Should -Be @('y', 'z')
        $back[1].counts.y | Should -Be 2
        $back[1].counts.y | Should -BeOfType [int]
        $back[1].counts.ContainsKey('z') | Should -BeTrue -Because 'a key with a null value is still the record''s key'
    }

    It 'keeps an [ordered] dictionary ordered, its keys in their order' {
        $file = Join-Path $TestDrive 'ordered.bin'
        $in = [pscustomobject]@{ m = [ordered]@{ c = 1; a = 2; b = 3 } }, [pscustomobject]@{ m = [ordered]@{ b = 4; d = 5 } }
        $in | Export-CapnpMessage -Path $file
        $back = @(Import-CapnpMessage -Path $file)
        $back[0].m | Should -BeOfType [System.Collections.Specialized.OrderedDictionary]
        @($back[0].m.Keys) | Should -Be @('c', 'a', 'b')
        @($back[1].m.Keys) | Should -Be @('b', 'd')
        for ($i = 0; $i -lt 2; $i++) { $back[$i] | ConvertTo-Json -Compress | Should -BeExactly ($in[$i] | ConvertTo-Json -Compress) }
    }

    It 'keeps each module''s ExportedCommands (Get-Module -ListAvailable)' {
        $file = Join-Path $TestDrive 'modules.bin'
        $modules = @(Get-Module -ListAvailable | Select-Object -First 5 Name, ExportedCommands)
        $modules | Export-CapnpMessage -Path $file
        $back = @(Import-CapnpMessage -Path $file)
        $back.Count | Should -Be $modules.Count
        for ($i = 0; $i -lt $modules.Count; $i++) {
            $back[$i].Name | Should -BeExactly $modules[$i].Name
            # Any IDictionary other than OrderedDictionary comes back as a hashtable: the keys, not their order.
            $back[$i].ExportedCommands | Should -BeOfType [hashtable]
            @($back[$i].ExportedCommands.Keys | Sort-Object) | Should -Be @($modules[$i].ExportedCommands.Keys | Sort-Object) -Because "$($modules[$i].Name) keeps its own commands"
        }
    }

    It 'keeps a hashtable of arrays of hashtables, each with its own keys' {
        $file = Join-Path $TestDrive 'nested.bin'
        $in = [pscustomobject]@{ m = @{ first = @(@{ a = 1 }, @{ b = 2; c = 3 }); second = @(@{ d = 4 }, @{ a = 5 }) } }
        $in | Export-CapnpMessage -Path $file -Depth 2
        $back = Import-CapnpMessage -Path $file
        $back.m | Should -BeOfType [hashtable]
        @($back.m.Keys | Sort-Object) | Should -Be @('first', 'second')
        foreach ($key in 'first', 'second') {
            $back.m[$key].Count | Should -Be 2
            for ($j = 0; $j -lt 2; $j++) {
                $original = $in.m[$key][$j]
                $read = $back.m[$key][$j]
                $read | Should -BeOfType [hashtable]
                @($read.Keys | Sort-Object) | Should -Be @($original.Keys | Sort-Object)
                foreach ($k in $original.Keys) { $read[$k] | Should -Be $original[$k]; $read[$k] | Should -BeOfType [int] }
            }
        }
    }

    It 'reads alike with capnp convert and capnp-es, by the schema text the file carries' {
        $file = Join-Path $TestDrive 'maps-stock.bin'
        [pscustomobject]@{ name = 'a'; tags = [ordered]@{ x = 1; y = $null } }, [pscustomobject]@{ name = 'b'; tags = [ordered]@{ z = 3 } } |
            Export-CapnpMessage -Path $file
        $decoded = ConvertFrom-CarriedSchema $file
        $decoded.records[0].tags.Count | Should -Be 2
        $decoded.records[0].tags[0].key | Should -BeExactly 'x'
        $decoded.records[0].tags[0].value | Should -Be 1
        $decoded.records[0].tags[1].valueIsNull | Should -BeTrue
        $decoded.records[1].tags.Count | Should -Be 1
        $decoded.records[1].tags[0].key | Should -BeExactly 'z'
    }
}

Describe 'Carried schemas' {
    It 'a file written with -Schema carries it: Import and Get-CapnpSchema need none' {
        $file = Join-Path $TestDrive 'explicit.bin'
        0..9 | ForEach-Object { New-TestRecord $_ } | Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch
        $carried = Get-CapnpSchema -LiteralPath $file
        $carried | Should -BeOfType CapMap.PowerShell.CapnpSchema
        $carried.Source | Should -Be 'Embedded'
        $carried.RootType | Should -Be 'Batch'
        $carried.IsInferred | Should -BeFalse
        $back = @(Import-CapnpMessage -Path $file)
        $back.Count | Should -Be 10
        $back[3].name | Should -BeExactly 'proc-3'
        $given = @(Import-CapnpMessage -Path $file -Schema $Schema -RootType Batch)
        ($given | ConvertTo-Json -Depth 5) | Should -BeExactly ($back | ConvertTo-Json -Depth 5)
        (Get-CapnpMessageInfo -LiteralPath $file).RecordCount | Should -Be 10
        # Stock readers do not see it.
        (ConvertFrom-CapnpFile $file).records.Count | Should -Be 10
    }

    It 'a file that carries no schema is NoEmbeddedSchema without -Schema' {
        $file = Join-Path $TestDrive 'plain.bin'
        '{"source":"x","records":[{"id":1,"name":"a"}]}' | & bash -c 'capnp convert json:binary "$0" Batch > "$1"' $SchemaPath $file
        $LASTEXITCODE | Should -Be 0
        { Import-CapnpMessage -Path $file -ErrorAction Stop } | Should -Throw -ErrorId 'NoEmbeddedSchema,*'
        { Get-CapnpSchema -Path $file -ErrorAction Stop } | Should -Throw -ErrorId 'NoEmbeddedSchema,*'
        (Import-CapnpMessage -Path $file -Schema $Schema -RootType Batch).name | Should -BeExactly 'a'
    }

    It 'keeps a property seen only after the sample, in a next message, without a warning' {
        $file = Join-Path $TestDrive 'unseen.bin'
        $records = @(@{ a = 1 }) + (1..5 | ForEach-Object { @{ a = $_; late = 'x' } })
        $warnings = $records | Export-CapnpMessage -Path $file -SampleSize 1 3>&1
        @($warnings | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 0
        $back = @(Import-CapnpMessage -Path $file)
        $back.Count | Should -Be 6
        $back[5].late | Should -BeExactly 'x'
    }

    It 'names the root and its list with -RootType and -Field' {
        $file = Join-Path $TestDrive 'named.bin'
        [pscustomobject]@{ x = 1 } | Export-CapnpMessage -Path $file -RootType Snapshot -Field items
        $text = Get-CapnpSchema -LiteralPath $file -AsText
        $text | Should -Match 'struct Snapshot'
        $text | Should -Match 'items @0 :List'
        (Import-CapnpMessage -Path $file).x | Should -Be 1
    }
}

Describe 'ConvertTo-CapnpSchema' {
    It 'infers the schema Export-CapnpMessage would write, without a message' {
        $objects = 1..3 | ForEach-Object { [pscustomobject]@{ Id = $_; Name = "n$_"; When = [datetime]::UtcNow } }
        $schema = $objects | ConvertTo-CapnpSchema
        $schema | Should -BeOfType CapMap.PowerShell.CapnpSchema
        $schema.Source | Should -Be 'Inferred'
        $schema.RootType | Should -Be 'Batch'
        $text = ConvertTo-CapnpSchema -InputObject $objects -RootType Rows -AsText
        $text | Should -Match 'struct Rows'
        $file = Join-Path $TestDrive 'inferred.capnp'
        $text | Set-Content -LiteralPath $file
        & capnp compile -o- $file > $null
        $LASTEXITCODE | Should -Be 0
    }

    It 'warns once, naming their paths, about properties null in every object (Void), which -Schema then refuses' {
        $objects = [pscustomobject]@{ a = 1; b = $null; c = [pscustomobject]@{ d = $null; e = 2 } }, [pscustomobject]@{ a = 2; b = $null; c = $null }
        $schema = $objects | ConvertTo-CapnpSchema -Depth 2 -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike '*null in every object have no type yet (Void in the schema): b, c.d.*give them a type*'
        # What the warning is about: the schema as it is refuses a value there.
        $file = Join-Path $TestDrive 'void.bin'
        [pscustomobject]@{ a = 3; b = 'x'; c = $null } | Export-CapnpMessage -Path $file -Schema $schema -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'RecordConversionFailed,*'
        # Objects whose every property has a value give no warning.
        $null = [pscustomobject]@{ a = 1 } | ConvertTo-CapnpSchema -WarningVariable none -WarningAction SilentlyContinue
        $none.Count | Should -Be 0
    }
}

Describe 'Script properties' {
    It 'a record keeps its own script properties; a nested object is shown without its script properties' {
        $inner = [pscustomobject]@{ Tag = 'x' } | Add-Member -MemberType ScriptProperty -Name Computed -Value { "c-$($this.Tag)" } -PassThru
        $record = [pscustomobject]@{ Id = 1; Inner = $inner } | Add-Member -MemberType ScriptProperty -Name Twice -Value { $this.Id * 2 } -PassThru
        $file = Join-Path $TestDrive 'script-properties.bin'
        $record | Export-CapnpMessage -Path $file
        $back = Import-CapnpMessage -Path $file
        $back.Twice | Should -Be 2
        $back.Inner.Tag | Should -BeExactly 'x'
        $back.Inner.PSObject.Properties.Name | Should -Not -Contain 'Computed'
    }

    It 'FileInfo.VersionInfo is a struct of its .NET properties, without FileVersionRaw and ProductVersionRaw' {
        $path = Join-Path $TestDrive 'one.txt'
        Set-Content -LiteralPath $path -Value 'a'
        $file = Join-Path $TestDrive 'versioninfo.bin'
        Get-Item -LiteralPath $path | Export-CapnpMessage -Path $file
        $text = Get-CapnpSchema -Path $file -AsText
        $text | Should -Match 'baseName @\d+ :Text'
        $text | Should -Match 'fileMajorPart @\d+ :Int32'
        $text | Should -Not -Match 'fileVersionRaw'
        (Import-CapnpMessage -Path $file).BaseName | Should -BeExactly 'one'
    }
}

Describe 'What PowerShell keeps per object' {
    It 'exporting files adds no entry per file to PowerShell''s resurrection tables' {
        # Entries of these ConditionalWeakTables are dependent handles that every garbage collection scans; one per
        # nested object of every record (a file's DirectoryInfo, FileVersionInfo ...) made a FileInfo export's young
        # collections several times slower.
        function Get-ResurrectionEntries {
            $flags = [Reflection.BindingFlags]'NonPublic, Static'
            foreach ($name in 's_instanceMembersResurrectionTable', 's_typeNamesResurrectionTable') {
                $table = [psobject].GetField($name, $flags).GetValue($null)
                $count = 0
                foreach ($entry in $table) { $count++ }
                $count
            }
        }
        $dir = Join-Path $TestDrive 'many'
        $null = New-Item -ItemType Directory -Path $dir
        1..300 | ForEach-Object { [IO.File]::WriteAllText((Join-Path $dir "f$_.txt"), "$_") }
        $files = @(Get-ChildItem -LiteralPath $dir -File)
        $file = Join-Path $TestDrive 'many.bin'
        [GC]::Collect(); [GC]::WaitForPendingFinalizers()
        $before = Get-ResurrectionEntries
        $files | Export-CapnpMessage -Path $file
        [GC]::Collect(); [GC]::WaitForPendingFinalizers()
        $after = Get-ResurrectionEntries # $files is alive: an entry per file, or per nested object, would be counted here
        # A few entries for the first objects of each shape are fine; one per record, or per nested object, is not.
        ($after[0] - $before[0]) | Should -BeLessThan 30
        ($after[1] - $before[1]) | Should -BeLessThan 30
        @(Import-CapnpMessage -Path $file).Count | Should -Be 300
    }
}

Describe 'New-CapnpMappedMessage without -Schema' {
    It 'creates the file at the first Add-CapnpStruct, with the schema of its records' {
        $file = Join-Path $TestDrive 'pending.bin'
        $m = New-CapnpMappedMessage -Path $file
        $m.AwaitsSchema | Should -BeTrue
        Test-Path -LiteralPath $file | Should -BeFalse
        1..5 | ForEach-Object { [pscustomobject]@{ N = $_; When = [datetime]::new(2026, 1, $_, 0, 0, 0, [DateTimeKind]::Utc) } } | Add-CapnpStruct -Message $m
        $m.AwaitsSchema | Should -BeFalse
        $m.RecordCount | Should -Be 5
        @{ N = 6; When = [datetime]::new(2026, 1, 6, 0, 0, 0, [DateTimeKind]::Utc); Extra = 'late' } | Add-CapnpStruct -Message $m -WarningVariable w -WarningAction SilentlyContinue
        @($w).Count | Should -Be 0 # the property is kept: the record goes on in a next message
        Complete-CapnpMappedMessage $m | Out-Null
        $back = @(Import-CapnpMessage -Path $file)
        $back.Count | Should -Be 6
        $back[5].N | Should -Be 6
        $back[5].When | Should -BeOfType [datetime]
        $back[5].When.Day | Should -Be 6
        $back[5].Extra | Should -BeExactly 'late'
    }

    It 'samples only -SampleSize records of the first call and writes them all' {
        $file = Join-Path $TestDrive 'pending-sample.bin'
        $m = New-CapnpMappedMessage -Path $file -SampleSize 2 -RootType Rows
        $m | Add-CapnpStruct -Value @(@{ a = 1 }, @{ a = 2 }, @{ a = 3 }) -PassThru | Complete-CapnpMappedMessage | Out-Null
        (Get-CapnpSchema -LiteralPath $file).RootType | Should -Be 'Rows'
        (Import-CapnpMessage -Path $file).a | Should -Be @(1, 2, 3)
    }
}

Describe '-Append' {
    It 'Export-CapnpMessage -Append writes a second message by the file''s schema; Import reads both' {
        $file = Join-Path $TestDrive 'two.bin'
        1..3 | ForEach-Object { [pscustomobject]@{ Id = $_; Name = "first$_" } } | Export-CapnpMessage -Path $file
        $before = [IO.File]::ReadAllBytes($file)
        4..5 | ForEach-Object { [pscustomobject]@{ Id = $_; Name = "second$_" } } | Export-CapnpMessage -Path $file -Append
        Test-FileStartsWith $file $before | Should -BeTrue
        $info = @(Get-CapnpMessageInfo -LiteralPath $file)
        $info.Count | Should -Be 2
        $info.RecordCount | Should -Be @(3, 2)
        $back = @(Import-CapnpMessage -Path $file)
        $back.Id | Should -Be @(1, 2, 3, 4, 5)
        $back[4].Name | Should -BeExactly 'second5'
    }

    It 'refuses a -Schema that does not match the file''s (SchemaMismatch) unless -Force' {
        $file = Join-Path $TestDrive 'mismatch.bin'
        [pscustomobject]@{ Id = 1 } | Export-CapnpMessage -Path $file
        { New-TestRecord 1 | Export-CapnpMessage -Path $file -Append -Schema $Schema -RootType Batch } | Should -Throw -ErrorId 'SchemaMismatch,*'
        @(Get-CapnpMessageInfo -LiteralPath $file).Count | Should -Be 1
        New-TestRecord 1 | Export-CapnpMessage -Path $file -Append -Schema $Schema -RootType Batch -Force
        @(Get-CapnpMessageInfo -LiteralPath $file).Count | Should -Be 2
    }

    It 'New-CapnpMappedMessage -Append with the same -Schema adds a message' {
        $file = Join-Path $TestDrive 'append-new.bin'
        0..1 | ForEach-Object { New-TestRecord $_ } | Export-CapnpMessage -Path $file -Schema $Schema -RootType Batch
        $m = New-CapnpMappedMessage -Path $file -Append -Schema $Schema -RootType Batch
        New-TestRecord 2 | Add-CapnpStruct -Message $m
        Complete-CapnpMappedMessage $m | Out-Null
        @(Get-CapnpMessageInfo -LiteralPath $file).Count | Should -Be 2
        (Import-CapnpMessage -Path $file).name | Should -Be @('proc-0', 'proc-1', 'proc-2')
    }
}
