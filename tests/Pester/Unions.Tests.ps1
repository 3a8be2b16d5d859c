#Requires -Version 7.4
# Values of several kinds keep their own kind: a property, a map value or an array element whose values differ in
# kind is a union struct with one member per kind, so 42 stays an Int32 next to 'x'; records of several .NET types
# are a union of one struct per type, so each comes back as its own Deserialized.<type>. Stock readers read the
# files by the schema text each file carries. docs/object-conversion.md, "Values of several kinds", points here.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'StockReaders.ps1')

    # Exports the objects with no schema and imports them back, as an array.
    function Invoke-UnionRoundTrip([string] $Name, [object[]] $InputObject) {
        $file = Join-Path $TestDrive "$Name.bin"
        $InputObject | Export-CapnpMessage -Path $file
        , @(Import-CapnpMessage -Path $file)
    }

    # The kind of each value as PowerShell sees it: its type name, or 'null'.
    function Get-Kinds([object[]] $Values) {
        foreach ($v in $Values) { if ($null -eq $v) { 'null' } else { $v.GetType().Name } }
    }

    # A JSON document whose arrays mix objects, numbers, strings, booleans, nulls and arrays, at several levels.
    # (Objects of one array share their properties: a property one of them lacks would come back as null.)
    $script:MixedJson = @'
[
  {"id": 1, "items": [1, "two", null, {"k": 3, "deep": null}, [4, "five", [6.5, null]], true, 7.25], "meta": {"tags": ["a", 1], "n": null}},
  {"id": "x", "items": [], "meta": {"tags": [{"k": false}], "n": 2}},
  {"id": 2.5, "items": [[], [[]], {"k": "x", "deep": [{"deeper": [1, {"deepest": "yes"}]}, 8]}], "meta": null}
]
'@
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'A property whose values are of several kinds' {
    It 'keeps an Int32, a string and a null in one property' {
        $back = Invoke-UnionRoundTrip 'int-string-null' @(
            [pscustomobject]@{ v = 42 }, [pscustomobject]@{ v = 'x' }, [pscustomobject]@{ v = $null }, [pscustomobject]@{ v = 7 })
        Get-Kinds $back.v | Should -Be @('Int32', 'String', 'null', 'Int32')
        $back.v | Should -Be @(42, 'x', $null, 7)
    }

    It '42 stays 42 next to a string, not "42"' {
        $back = Invoke-UnionRoundTrip 'answer' @([pscustomobject]@{ v = 'x' }, [pscustomobject]@{ v = 42 })
        $back[1].v | Should -BeOfType [int]
        $back[1].v | Should -Be 42
        ($back[1].v + 1) | Should -Be 43
    }

    It 'keeps an int, a double and a bool each as itself' {
        $back = Invoke-UnionRoundTrip 'int-double-bool' @(
            [pscustomobject]@{ v = 1 }, [pscustomobject]@{ v = 2.5 }, [pscustomobject]@{ v = $true }, [pscustomobject]@{ v = 3 })
        Get-Kinds $back.v | Should -Be @('Int32', 'Double', 'Boolean', 'Int32')
        $back.v | Should -Be @(1, 2.5, $true, 3)
    }

    It 'keeps enums of two types and dates of two kinds each as itself' {
        $local = [datetime]::new(2024, 5, 1, 10, 0, 0, [DateTimeKind]::Local)
        $back = Invoke-UnionRoundTrip 'enums-dates' @(
            [pscustomobject]@{ e = [IO.FileAttributes]::Archive; d = $local },
            [pscustomobject]@{ e = [Reflection.MethodAttributes]::Static; d = $local.ToUniversalTime() })
        Get-Kinds $back.e | Should -Be @('FileAttributes', 'MethodAttributes')
        $back.d.Kind | Should -Be @('Local', 'Utc')
        $back[0].d | Should -Be $local
    }

    It 'keeps map values x=1, y=''two'' as an Int32 and a string' {
        $back = Invoke-UnionRoundTrip 'map-values' @(
            [pscustomobject]@{ name = 'a'; tags = [ordered]@{ x = 1; y = 'two' } })
        $back[0].tags.x | Should -BeOfType [int]
        $back[0].tags.x | Should -Be 1
        $back[0].tags.y | Should -BeExactly 'two'
    }
}

Describe 'Arrays that mix objects and plain values' {
    It 'a JSON document round-trips so that ConvertTo-Json -Depth 100 gives identical text' {
        $expected = $MixedJson | ConvertFrom-Json | ConvertTo-Json -Depth 100
        $file = Join-Path $TestDrive 'mixed.bin'
        $MixedJson | ConvertFrom-Json | Export-CapnpMessage -Path $file -Depth 10
        $actual = Import-CapnpMessage -Path $file | ConvertTo-Json -Depth 100
        $actual | Should -BeExactly $expected
    }
}

Describe 'Records of several .NET types' {
    BeforeAll {
        $script:dir = Join-Path $TestDrive 'tree'
        $null = New-Item -ItemType Directory -Path (Join-Path $dir 'one'), (Join-Path $dir 'two')
        Set-Content -LiteralPath (Join-Path $dir 'a.txt') -Value 'hello'
        Set-Content -LiteralPath (Join-Path $dir 'b.log') -Value 'there, longer'
        $script:items = @(Get-ChildItem -LiteralPath $dir -Directory) + @(Get-ChildItem -LiteralPath $dir -File)
        $script:mixedFile = Join-Path $TestDrive 'tree.bin'
        $items | Export-CapnpMessage -Path $mixedFile
        $script:back = @(Import-CapnpMessage -Path $mixedFile)
    }

    It 'each folder and file comes back with its own Deserialized type name' {
        $back.Count | Should -Be 4
        $back | ForEach-Object { $_.PSTypeNames[0] } |
            Should -Be @('Deserialized.System.IO.DirectoryInfo', 'Deserialized.System.IO.DirectoryInfo', 'Deserialized.System.IO.FileInfo', 'Deserialized.System.IO.FileInfo')
        $back.FullName | Should -Be $items.FullName
    }

    It 'each keeps only its own properties' {
        $back[0].PSObject.Properties.Name | Should -Contain 'Parent'
        $back[0].PSObject.Properties.Name | Should -Not -Contain 'Length'
        $back[2].PSObject.Properties.Name | Should -Contain 'Length'
        $back[2].PSObject.Properties.Name | Should -Not -Contain 'Parent'
        $back[2].Length | Should -Be $items[2].Length
    }

    It 'the standard directory view applies (a table, not a list)' {
        $text = $back | Out-String
        $text | Should -Match 'Directory: '
        $text | Should -Match 'LastWriteTime'
        ($text -split "`n").Count | Should -BeLessThan 20
    }

    It 'records of one type keep the layout without a union' {
        $file = Join-Path $TestDrive 'files.bin'
        Get-ChildItem -LiteralPath $dir -File | Export-CapnpMessage -Path $file
        Get-CapnpSchema -LiteralPath $file -AsText | Should -Not -Match 'union'
    }
}

Describe 'Stock readers read the unions by the schema text each file carries' {
    It 'capnp convert binary:json and capnp-es read <Name>' -ForEach @(
        @{ Name = 'int-string-null'; Depth = 1; Objects = { [pscustomobject]@{ v = 42 }, [pscustomobject]@{ v = 'x' }, [pscustomobject]@{ v = $null }, [pscustomobject]@{ v = 2.5 } } }
        @{ Name = 'map-values'; Depth = 1; Objects = { [pscustomobject]@{ tags = [ordered]@{ x = 1; y = 'two'; z = $true } } } }
        @{ Name = 'mixed-json'; Depth = 10; Objects = { $MixedJson | ConvertFrom-Json } }
        @{ Name = 'files-and-folders'; Depth = 1; Objects = {
                $tree = Join-Path $TestDrive 'stock-tree'
                $null = New-Item -ItemType Directory -Force -Path (Join-Path $tree 'sub')
                Set-Content -LiteralPath (Join-Path $tree 'f.txt') -Value 'x'
                @(Get-ChildItem -LiteralPath $tree -Directory) + @(Get-ChildItem -LiteralPath $tree -File) } }
    ) {
        $file = Join-Path $TestDrive "stock-$Name.bin"
        & $Objects | Export-CapnpMessage -Path $file -Depth $Depth
        Get-CapnpSchema -LiteralPath $file -AsText | Should -Match 'union \{'
        Assert-StockReadersAgree -File $file
    }
}
