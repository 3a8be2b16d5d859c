#Requires -Version 7.4
# Issue 21's "Done when": round trips with no schema of every repro of its "Why" and of the everyday inputs it lists.
# Each case goes through Assert-CapnpRoundTrip (RoundTripAssertions.ps1): every value comes back as it went in (type,
# property names in order, lists, dictionaries, nulls) or a warning names where it was cut, and capnp convert and
# capnp-es read every message of the file by that message's own Get-CapnpSchema -AsText.
# Item 10's smaller things that are no round trip (-RootType without -Schema, an unrelated -Schema, a text file,
# Test-CapMapPlatform's names, -InputObject $null) are in SmallThings.Tests.ps1.

BeforeAll { . (Join-Path $PSScriptRoot 'RoundTripAssertions.ps1') }

AfterAll { Clear-RoundTripSession }

Describe 'The round-trip check' {
    It 'names the value that came back different, and where' {
        $differences = { Assert-RoundTripValues -Expected @([pscustomobject]@{ tags = @{ x = 1 } }) -Actual @([pscustomobject]@{ tags = @{ x = '1' } }) -Depth 1 }
        $differences | Should -Throw "*``[0``].tags.x: expected ``[Int32``] '1', got ``[String``] '1'*"
    }

    It 'wants a warning naming a property whose nesting was cut' {
        $inner = [pscustomobject]@{ deeper = [pscustomobject]@{ x = 1 } }
        $cut = { Assert-RoundTripValues -Expected @([pscustomobject]@{ inner = $inner }) -Actual @([pscustomobject]@{ inner = [pscustomobject]@{ deeper = '@{x=1}' } }) -Depth 1 }
        $cut | Should -Throw "*``[0``].inner.deeper: a System.Management.Automation.PSCustomObject was cut to its text at -Depth 1, but no warning names 'inner.deeper'*"
        Assert-RoundTripValues -Expected @([pscustomobject]@{ inner = $inner }) -Actual @([pscustomobject]@{ inner = [pscustomobject]@{ deeper = '@{x=1}' } }) -Depth 1 -Warnings 'cut at inner.deeper'
    }

    It 'tells the dictionary types, key orders and .NET types apart' {
        { Assert-RoundTripValues -Expected @([ordered]@{ a = 1; b = 2 }) -Actual @([ordered]@{ b = 2; a = 1 }) -Depth 1 } | Should -Throw '*expected the keys*'
        { Assert-RoundTripValues -Expected @([pscustomobject]@{ d = [ordered]@{ a = 1 } }) -Actual @([pscustomobject]@{ d = @{ a = 1 } }) -Depth 1 } | Should -Throw '*expected a OrderedDictionary*'
        { Assert-RoundTripValues -Expected @([long] 1) -Actual @([int] 1) -Depth 1 } | Should -Throw '*expected `[Int64`]*'
        { Assert-RoundTripValues -Expected @([datetime]::new(1, [DateTimeKind]::Utc)) -Actual @([datetime]::new(1, [DateTimeKind]::Local)) -Depth 1 } | Should -Throw '*expected `[DateTime`]*'
    }

    It 'fails when capnp-es read a message otherwise than capnp (its root given as read-carried.mjs gives it)' {
        $file = Join-Path (New-RoundTripDirectory 'disagree') 'disagree.bin'
        [pscustomobject]@{ n = 1 } | Export-CapnpMessage -LiteralPath $file
        $schemaFile = Save-CarriedSchemaText $file
        { Assert-StockReadersAgree -File $file -SchemaFile $schemaFile -CapnpEsJson '{"records":[{"n":2}]}' } | Should -Throw '*capnp-es and capnp read record 0 alike*'
    }
}

Describe 'Issue 21''s repros, with no schema' {
    It '1. a refused -Append (a -Schema that does not fit the file) leaves the file byte for byte as it was, from Export and New' {
        $file = Join-Path $TestDrive 'refused.bin'
        1..3 | ForEach-Object { [pscustomobject]@{ id = $_; name = "n$_" } } | Export-CapnpMessage -LiteralPath $file
        $before = Get-Bytes $file
        { New-TestRecord 1 | Export-CapnpMessage -LiteralPath $file -Append -Schema $Schema -RootType Batch -ErrorAction Stop } |
            Should -Throw -ErrorId 'SchemaMismatch,*'
        { New-CapnpMappedMessage -Path $file -Append -Schema $Schema -RootType Batch -ErrorAction Stop } | Should -Throw -ErrorId 'SchemaMismatch,*'
        # SequenceEqual: Should -Be would compare the thousands of bytes one pipeline item at a time (seconds).
        [Linq.Enumerable]::SequenceEqual([byte[]] (Get-Bytes $file), [byte[]] $before) | Should -BeTrue -Because 'a refused append writes nothing'
    }

    It '5. 1..1000 comes back as Int32s that Measure-Object sums' {
        $result = Assert-CapnpRoundTrip -InputObject (1..1000)
        ($result.Output | Measure-Object -Sum).Sum | Should -Be 500500
    }

    It '5. Get-Content lines come back as the strings' {
        $text = Join-Path $TestDrive 'lines.txt'
        Set-Content -LiteralPath $text -Value 'first line', '', "  indented`ttab", 'Größe ✓'
        $result = Assert-CapnpRoundTrip -InputObject (Get-Content -LiteralPath $text)
        $copy = Join-Path $TestDrive 'lines-again.txt'
        $result.Output | Set-Content -LiteralPath $copy
        (Get-FileHash -LiteralPath $copy).Hash | Should -Be (Get-FileHash -LiteralPath $text).Hash -Because 'Set-Content writes the same text back'
    }

    It '5. Get-Date comes back as a [datetime] with its Kind' {
        Assert-CapnpRoundTrip -InputObject (Get-Date)
    }

    It '5. Measure-Command {} comes back as a [TimeSpan]' {
        Assert-CapnpRoundTrip -InputObject (Measure-Command {})
    }

    It '7. a pipeline that throws at record 6 keeps the 5 records before it' {
        $dir = New-RoundTripDirectory 'boom'
        $file = Join-Path $dir 'boom.bin'
        $came = [Collections.Generic.List[object]]::new()
        { & { 1..10 | ForEach-Object { if ($_ -eq 6) { throw 'boom' }; $r = [pscustomobject]@{ i = $_ }; $came.Add($r); $r } } | Export-CapnpMessage -LiteralPath $file } |
            Should -Throw 'boom'
        $came.Count | Should -Be 5
        Assert-CapnpFileRoundTrip -File $file -Expected $came.ToArray()
    }

    It '8. a [bigint] comes back as a BigInteger, alone and in a property' {
        $big = [bigint]::Parse('-1234567890123456789012345678901234567890')
        Assert-CapnpRoundTrip -InputObject ($big, [bigint] 7)
        Assert-CapnpRoundTrip -InputObject ([pscustomobject]@{ n = $big; small = [bigint] 7 })
    }

    # Text is WTF-8 (object-conversion.md, "Strings that are not valid UTF-16"): capnp and capnp-es see the lone
    # surrogate's three bytes as invalid UTF-8, so they are only asked to read the file, not for the same text.
    It '8. a string with a lone surrogate comes back exactly, and the stock readers still read the file' {
        $records = [pscustomobject]@{ s = "a$([char] 0xD800)b" }, [pscustomobject]@{ s = "$([char] 0xDFFF)" }
        $file = Join-Path (New-RoundTripDirectory 'surrogate') 'surrogate.bin'
        $records | Export-CapnpMessage -LiteralPath $file
        Assert-RoundTripValues -Expected $records -Actual @(Import-CapnpMessage -LiteralPath $file) -Depth 1
        Register-StockReaderCheck -File $file -RecordCountsOnly
    }

    It '10. Import-CapnpMessage -MessageIndex picks one message of a stream' {
        $first = 1..3 | ForEach-Object { [pscustomobject]@{ id = $_ } }
        $second = 4..5 | ForEach-Object { [pscustomobject]@{ id = $_ } }
        $result = Assert-CapnpRoundTrip -InputObject $first -Append $second
        Assert-RoundTripValues -Expected $second -Actual @(Import-CapnpMessage -LiteralPath $result.File -MessageIndex 1) -Depth 1
    }
}

Describe 'Everyday inputs of many shapes, with no schema' {
    It 'a hashtable of arrays of hashtables, in a record, at -Depth 2' {
        $config = @{
            servers = @(@{ name = 'a'; region = 'eu' }, @{ name = 'b'; region = 'us'; zone = 'b1' })
            owners  = @(@{ name = 'ops' })
        }
        Assert-CapnpRoundTrip -InputObject ([pscustomobject]@{ service = 'web'; config = $config }) -ExportParameters @{ Depth = 2 }
    }
}

Describe 'Issue 21''s repros of new shapes, kinds, depth and types, with no schema' {
    It '1. an -Append of a new shape comes back, both shapes' {
        $first = 1..3 | ForEach-Object { [pscustomobject]@{ id = $_; name = "n$_" } }
        $second = 6..7 | ForEach-Object { [pscustomobject]@{ host = "h$_"; cpu = 1.5 * $_ } }
        Assert-CapnpRoundTrip -InputObject $first -Append $second
    }

    It '1. an -Append of a new shape through New-CapnpMappedMessage -Append comes back' {
        $dir = New-RoundTripDirectory 'mapped-append'
        $file = Join-Path $dir 'mapped-append.bin'
        $first = 1..3 | ForEach-Object { [pscustomobject]@{ id = $_; name = "n$_" } }
        $second = 6..7 | ForEach-Object { [pscustomobject]@{ host = "h$_"; cpu = 1.5 * $_ } }
        $first | Export-CapnpMessage -LiteralPath $file
        $m = New-CapnpMappedMessage -Path $file -Append
        $second | Add-CapnpStruct -Message $m -WarningVariable warnings -WarningAction SilentlyContinue
        Complete-CapnpMappedMessage $m | Out-Null
        Assert-CapnpFileRoundTrip -File $file -Expected (@($first) + @($second)) -Warnings $warnings
    }

    It '1. an -Append whose values do not fit the file''s schema comes back, with no empty message' {
        $first = 1..3 | ForEach-Object { [pscustomobject]@{ id = $_; name = "n$_" } }
        $second = 4..5 | ForEach-Object { [pscustomobject]@{ id = "text $_"; name = "n$_" } }
        $result = Assert-CapnpRoundTrip -InputObject $first -Append $second
        @(Get-CapnpMessageInfo -LiteralPath $result.File | Where-Object RecordCount -EQ 0).Count | Should -Be 0
    }

    It '2. dictionaries keep exactly their own keys, and each value its type' {
        Assert-CapnpRoundTrip -InputObject ([pscustomobject]@{ name = 'a'; tags = @{ x = 1 } }), ([pscustomobject]@{ name = 'b'; tags = @{ y = 'two' } })
    }

    It '2. dictionaries find their keys ignoring case, as @{} and Import-Clixml''s do, unless two keys differ only by case' {
        $file = Join-Path $TestDrive 'dictionary-case.bin'
        $exact = [hashtable]::new([StringComparer]::Ordinal)
        $exact['k'] = 1; $exact['K'] = 2
        [pscustomobject]@{ tags = @{ Name = 'web'; x = 1 }; where = [ordered]@{ Zone = 'a' } }, [pscustomobject]@{ tags = @{}; where = [ordered]@{ Zone = 'b' } }, [pscustomobject]@{ tags = $exact; where = $null } |
            Export-CapnpMessage -Path $file
        $back = @(Import-CapnpMessage -Path $file)
        $back[0].tags['name'] | Should -Be 'web'
        $back[0].tags.X | Should -Be 1
        $back[1].where | Should -BeOfType [System.Collections.Specialized.OrderedDictionary]
        $back[1].where['ZONE'] | Should -Be 'b'
        # Keys that differ only by case stay apart.
        $back[2].tags.Count | Should -Be 2
        $back[2].tags['k'] | Should -Be 1
        $back[2].tags['K'] | Should -Be 2
    }

    It '3. nesting below -Depth is cut with a warning naming the property' {
        Assert-CapnpRoundTrip -InputObject ([pscustomobject]@{ name = 'a'; inner = [pscustomobject]@{ deeper = @{ x = 1 } } })
    }

    It '3. arrays that mix objects and plain values keep each element, at -Depth 16' {
        $record = [pscustomobject]@{ items = @(1, 'two', [pscustomobject]@{ three = 3 }, 4.5) }
        Assert-CapnpRoundTrip -InputObject $record -ExportParameters @{ Depth = 16 }
    }

    It '4. int, double and bool in one property each come back with their type' {
        Assert-CapnpRoundTrip -InputObject ([pscustomobject]@{ v = 42 }), ([pscustomobject]@{ v = 1.5 }), ([pscustomobject]@{ v = $true })
    }

    It '4. int, string and null in one property each come back as they were' {
        Assert-CapnpRoundTrip -InputObject ([pscustomobject]@{ v = 42 }), ([pscustomobject]@{ v = 'text' }), ([pscustomobject]@{ v = $null })
    }

    It '4. a property that is null throughout the sample keeps the later ints' {
        $records = 1..6 | ForEach-Object { [pscustomobject]@{ i = $_; v = if ($_ -gt 3) { $_ * 10 } } }
        Assert-CapnpRoundTrip -InputObject $records -ExportParameters @{ SampleSize = 3 }
    }

    It '4. a type change after the sample keeps every value' {
        $records = 1..6 | ForEach-Object { [pscustomobject]@{ i = $_; v = if ($_ -le 3) { $_ } else { "text $_" } } }
        Assert-CapnpRoundTrip -InputObject $records -ExportParameters @{ SampleSize = 3 }
    }

    It '4. a property first seen after the sample is kept' {
        $records = 1..6 | ForEach-Object { if ($_ -le 3) { [pscustomobject]@{ i = $_ } } else { [pscustomobject]@{ i = $_; late = "l$_" } } }
        Assert-CapnpRoundTrip -InputObject $records -ExportParameters @{ SampleSize = 3 }
    }

    It '4. records with a property of their own each come back with exactly theirs, in their order' {
        # Keys few records have are entries of one field: one message, whatever comes after the sample.
        $records = @(1..200 | ForEach-Object { [pscustomobject]@{ id = $_; "k$_" = $_ } }) +
            [pscustomobject]@{ first = 'a'; id = 201 } + [pscustomobject]@{ x1 = 1.5; id = 202; x2 = $null }
        $result = Assert-CapnpRoundTrip -InputObject $records
        @(Get-CapnpMessageInfo -LiteralPath $result.File).Count | Should -Be 1
        Assert-CapnpRoundTrip -InputObject (1..30 | ForEach-Object { [ordered]@{ id = $_; "k$_" = "v$_" } }) -ExportParameters @{ SampleSize = 3 }
    }

    It '4. objects of a JSON array that omit keys come back without them: ConvertTo-Json gives the same text' {
        # Absent is not null: "b" omitted stays omitted, "b": null stays null, at every level (object-conversion.md, "Absent properties").
        $json = '[{"a":1,"b":"x","n":{"p":1,"q":2}},{"a":2,"n":{"p":3}},{"a":3,"b":null,"n":null},{"a":4,"n":{"q":[{"r":1},{"s":2}]}},{"c":true}]'
        $records = @($json | ConvertFrom-Json)
        $result = Assert-CapnpRoundTrip -InputObject $records -ExportParameters @{ Depth = 100 }
        ConvertTo-Json -InputObject @($result.Output) -Depth 100 -Compress | Should -BeExactly $json
    }

    It '5. dates of different kinds each keep their Kind' {
        Assert-CapnpRoundTrip -InputObject (Get-Date), ([datetime]::new(2026, 1, 2, 3, 4, 5, [DateTimeKind]::Utc)), ([datetime]::new(2026, 1, 2))
    }

    It '5. plain values of several kinds (a date and a TimeSpan) each come back as themselves' {
        Assert-CapnpRoundTrip -InputObject (Get-Date), (Measure-Command {})
    }

    It '6. files and folders mixed each come back with their own type' {
        $root = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'mixed') -Force
        $null = New-Item -ItemType Directory -Path (Join-Path $root 'd1'), (Join-Path $root 'd2')
        Set-Content -LiteralPath (Join-Path $root 'f1.txt'), (Join-Path $root 'f2.txt') -Value 'x'
        $items = @(Get-ChildItem -LiteralPath $root -Directory) + @(Get-ChildItem -LiteralPath $root -File)
        Assert-CapnpRoundTrip -InputObject $items
    }

    It '6. files alone keep the NameString the directory table shows' {
        $root = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'files') -Force
        Set-Content -LiteralPath (Join-Path $root 'alpha.txt'), (Join-Path $root 'beta.txt') -Value 'x'
        $files = @(Get-ChildItem -LiteralPath $root -File)
        $result = Assert-CapnpRoundTrip -InputObject $files
        for ($i = 0; $i -lt $files.Count; $i++) { $result.Output[$i].NameString | Should -BeExactly $files[$i].NameString }
        $table = $result.Output | Format-Table | Out-String
        $table | Should -Match 'alpha\.txt'
        $table | Should -Match 'beta\.txt'
    }

    It '9. an open message of three records at a checkpoint is at most its data plus 64 MiB, and comes back' {
        $dir = New-RoundTripDirectory 'open'
        $file = Join-Path $dir 'open.bin'
        $records = 1..3 | ForEach-Object { [pscustomobject]@{ id = $_; name = "n$_" } }
        $m = New-CapnpMappedMessage -Path $file
        $records | Add-CapnpStruct -Message $m
        Save-CapnpMappedMessage $m | Out-Null
        $atCheckpoint = (Get-Item -LiteralPath $file).Length
        Complete-CapnpMappedMessage $m | Out-Null
        $data = (Get-Item -LiteralPath $file).Length
        $atCheckpoint | Should -BeLessOrEqual ($data + 64MB) -Because "the checkpointed file of $data bytes of data keeps a bounded slack (issue 21, item 9)"
        Assert-CapnpFileRoundTrip -File $file -Expected $records
    }
}

Describe 'Everyday inputs, with no schema' {
    It 'Get-Module -ListAvailable' {
        Assert-CapnpRoundTrip -InputObject @(Get-Module -ListAvailable)
    }

    It 'Get-Command -Module Microsoft.PowerShell.Security' {
        Assert-CapnpRoundTrip -InputObject @(Get-Command -Module Microsoft.PowerShell.Security)
    }

    It 'a hashtable of arrays of hashtables, piped as it is' {
        $config = @{
            servers = @(@{ name = 'a'; region = 'eu' }, @{ name = 'b'; region = 'us'; zone = 'b1' })
            owners  = @(@{ name = 'ops' })
        }
        Assert-CapnpRoundTrip -InputObject $config -ExportParameters @{ Depth = 2 }
    }

    It 'a JSON document more than 30 levels deep with mixed arrays gives the same ConvertTo-Json -Depth 100 text back' {
        $node = [ordered]@{ leaf = 'bottom'; values = @(1, 'two', 3.5, $true, $null) }
        for ($level = 35; $level -ge 1; $level--) {
            $node = [ordered]@{ level = $level; name = "n$level"; items = @($level, "s$level", [ordered]@{ at = $level }, @($level, 'x')); child = $node }
        }
        $json = $node | ConvertTo-Json -Depth 100 -Compress
        $document = $json | ConvertFrom-Json
        $result = Assert-CapnpRoundTrip -InputObject $document -ExportParameters @{ Depth = 100 }
        $result.Output[0] | ConvertTo-Json -Depth 100 -Compress | Should -BeExactly $json
    }
}

# Last, so that it reads what every case above wrote: capnp-es reads them all in one run of Node.
Describe 'Every file of the round trips above' {
    It 'reads alike in capnp convert and capnp-es, each message by its own Get-CapnpSchema -AsText, as in CapMap' {
        Assert-StockReaderChecks
    }
}
