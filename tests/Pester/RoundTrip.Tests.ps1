#Requires -Version 7.4
# Issue 21's "Done when": round trips with no schema of every repro of its "Why" and of the everyday inputs it lists.
# Each case goes through Assert-CapnpRoundTrip (RoundTripAssertions.ps1): every value comes back as it went in (type,
# property names in order, lists, dictionaries, nulls) or a warning names where it was cut, and capnp convert and
# capnp-es read every message of the file by that message's own Get-CapnpSchema -AsText.
# Item 10's smaller things that are no round trip (-RootType without -Schema, an unrelated -Schema, a text file,
# Test-CapMapPlatform's names, -InputObject $null) are in SmallThings.Tests.ps1. The cases that wait for features
# being built are in RoundTripPending.Tests.ps1, which the Test task does not run yet.

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

Describe 'Everyday inputs, with no schema' {
    It 'a hashtable of arrays of hashtables, in a record, at -Depth 2' {
        $config = @{
            servers = @(@{ name = 'a'; region = 'eu' }, @{ name = 'b'; region = 'us'; zone = 'b1' })
            owners  = @(@{ name = 'ops' })
        }
        Assert-CapnpRoundTrip -InputObject ([pscustomobject]@{ service = 'web'; config = $config }) -ExportParameters @{ Depth = 2 }
    }
}

# Last, so that it reads what every case above wrote: capnp-es reads them all in one run of Node.
Describe 'Every file of the round trips above' {
    It 'reads alike in capnp convert and capnp-es, each message by its own Get-CapnpSchema -AsText, as in CapMap' {
        Assert-StockReaderChecks
    }
}
