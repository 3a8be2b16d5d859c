#Requires -Version 7.4
# Plain values piped on their own (numbers, strings, dates, TimeSpans, Guids, BigIntegers: the type table's scalars)
# come back from Import-CapnpMessage as those values with their .NET types, as Export-Clixml gives them back. The file
# stays a message every reader reads: its records list says Sequence(Plain) and each record keeps its one field.
# docs/object-conversion.md, "Plain values on their own", points here.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'StockReaders.ps1')

    # Exports the values with no schema and imports them back: the values Import-CapnpMessage gives, as an array.
    function Invoke-PlainRoundTrip([string] $Name, [object[]] $Values) {
        $file = Join-Path $TestDrive "$Name.bin"
        $Values | Export-CapnpMessage -Path $file
        , @(Import-CapnpMessage -Path $file)
    }
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'Plain values on their own come back as themselves' {
    It '1..1000 comes back as 1,000 Int32s that Measure-Object sums' {
        $back = Invoke-PlainRoundTrip 'numbers' (1..1000)
        $back.Count | Should -Be 1000
        ($back | Measure-Object -Sum).Sum | Should -Be 500500
        $back[0] | Should -BeOfType [int]
        $back[999] | Should -Be 1000
    }

    It 'Get-Content lines come back as strings, and Set-Content writes the same text' {
        $text = Join-Path $TestDrive 'lines.txt'
        Set-Content -LiteralPath $text -Value 'first line', '', '  indented ✓ 😀', 'tab	inside', '@{Value=not a record}', 'last'
        $file = Join-Path $TestDrive 'lines.bin'
        Get-Content -LiteralPath $text | Export-CapnpMessage -Path $file
        $back = @(Import-CapnpMessage -Path $file)
        $back.Count | Should -Be 6
        $back | ForEach-Object { $_ | Should -BeOfType [string] }
        $back | Should -Be (Get-Content -LiteralPath $text)
        $copy = Join-Path $TestDrive 'copy.txt'
        Import-CapnpMessage -Path $file | Set-Content -LiteralPath $copy
        Get-Bytes $copy | Should -Be (Get-Bytes $text)
    }

    It 'Get-Date comes back as a [datetime] with the same Ticks and Kind' {
        $dates = (Get-Date), [datetime]::new(2001, 2, 3, 4, 5, 6, [DateTimeKind]::Local).AddTicks(7)
        $back = Invoke-PlainRoundTrip 'dates' $dates
        $back.Count | Should -Be 2
        for ($i = 0; $i -lt 2; $i++) {
            $back[$i] | Should -BeOfType [datetime]
            $back[$i].Ticks | Should -Be $dates[$i].Ticks
            $back[$i].Kind | Should -Be $dates[$i].Kind
        }
    }

    It 'Measure-Command {} comes back as a [TimeSpan]' {
        $spans = (Measure-Command {}), [TimeSpan]::FromDays(-3.25)
        $back = Invoke-PlainRoundTrip 'spans' $spans
        $back | ForEach-Object { $_ | Should -BeOfType [TimeSpan] }
        $back | Should -Be $spans
    }

    It '[bigint] comes back as a BigInteger, not a bag of its properties' {
        $numbers = [bigint]::Pow(2, 200), [bigint]::MinusOne, [bigint]::Zero
        $back = Invoke-PlainRoundTrip 'bigints' $numbers
        $back | ForEach-Object { $_ | Should -BeOfType [System.Numerics.BigInteger] }
        $back | Should -Be $numbers
    }

    It '[guid] comes back as a Guid' {
        $guids = (New-Guid), [guid]::Empty, (New-Guid)
        $back = Invoke-PlainRoundTrip 'guids' $guids
        $back | ForEach-Object { $_ | Should -BeOfType [guid] }
        $back | Should -Be $guids
    }

    It 'strings with empty strings in between come back as they were; a $null is refused by the parameter, with an error' {
        $file = Join-Path $TestDrive 'strings.bin'
        'a', '', $null, 'b', '' | Export-CapnpMessage -Path $file -ErrorVariable refused -ErrorAction SilentlyContinue
        # PowerShell binds no $null to -InputObject: the error says so, and the other values are written.
        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationErrorNullNotAllowed*'
        $back = @(Import-CapnpMessage -Path $file)
        $back.Count | Should -Be 4
        $back | ForEach-Object { $_ | Should -BeOfType [string] }
        $back | Should -BeExactly @('a', '', 'b', '')
    }

    It 'capnp convert and capnp-es read the file by its own schema: each record keeps its one field, the value' {
        $file = Join-Path $TestDrive 'stock.bin'
        1..1000 | Export-CapnpMessage -Path $file
        $schemaFile = Save-CarriedSchemaText $file
        Get-Content -LiteralPath $schemaFile -Raw | Should -BeLike '*records @0 :List(Record) $clrType("Sequence(Plain)");*'
        Assert-StockReadersAgree -File $file -SchemaFile $schemaFile
        $capnp = ConvertFrom-CapnpFile -File $file -SchemaFile $schemaFile
        $capnp.records.value | Should -Be (1..1000)
        @(Import-CapnpMessage -Path $file) | Should -Be (1..1000)
    }

    It 'capnp convert and capnp-es read Get-Content lines, which come back as the strings' {
        $text = Join-Path $TestDrive 'stock.txt'
        Set-Content -LiteralPath $text -Value 'one', '', 'three ✓'
        $file = Join-Path $TestDrive 'stock-lines.bin'
        Get-Content -LiteralPath $text | Export-CapnpMessage -Path $file
        Assert-StockReadersAgree -File $file
        @(Import-CapnpMessage -Path $file) | Should -BeExactly @(Get-Content -LiteralPath $text)
    }
}

Describe 'Plain values mixed with objects' {
    It 'a mix stays records, as before: each value in Value (a union when the kinds differ), each object its own fields and no other' {
        $file = Join-Path $TestDrive 'mixed.bin'
        1, 'a', [pscustomobject]@{ x = 1 } | Export-CapnpMessage -Path $file
        $back = @(Import-CapnpMessage -Path $file)
        $back.Count | Should -Be 3
        ($back | ConvertTo-Json -Compress) | Should -BeExactly '[{"Value":1},{"Value":"a"},{"x":1}]'
    }

    It 'an object after a sample of plain values goes on in a next message, as records of the mix' {
        $file = Join-Path $TestDrive 'late-object.bin'
        1, 2, [pscustomobject]@{ x = 1 }, 4 | Export-CapnpMessage -Path $file -SampleSize 2 -ErrorVariable refused
        $refused | Should -BeNullOrEmpty
        $back = @(Import-CapnpMessage -Path $file)
        $back[0..1] | Should -Be @(1, 2) # the sample's message: plain values
        $back[2].x | Should -Be 1 # the next message's records are a mix of values and objects, as one sample of all four gives
        $back[3].Value | Should -Be 4
        @(Get-CapnpMessageInfo -LiteralPath $file).Count | Should -Be 2
    }

    It 'a file written before plain values (records said to be objects) still reads as records' {
        # tests/Pester/TestData/plain-before.bin: `1, 2 | Export-CapnpMessage` by CapMap before this rule.
        $back = @(Import-CapnpMessage -Path (Join-Path $PSScriptRoot 'TestData/plain-before.bin'))
        $back.Count | Should -Be 2
        $back.Value | Should -Be @(1, 2)
        ($back | ConvertTo-Json -Compress) | Should -BeExactly '[{"Value":1},{"Value":2}]'
    }
}
