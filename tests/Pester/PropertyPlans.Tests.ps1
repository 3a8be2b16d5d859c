#Requires -Version 7.4
# An object's properties are read through a plan made once per shape (PSPropertyPlan), not through
# PSObject.Properties per record. A plan must fit only objects that show the same properties: the same own members in
# the same order and the same type names (type data attaches members by type name). These exports mix such objects in
# one pipeline and check that every record reads back with its own properties and values.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:TypeWithExtra = 'CapMap.Tests.PropertyPlans.WithExtra'
    Update-TypeData -TypeName $TypeWithExtra -MemberType ScriptProperty -MemberName extra -Value { "extra of $($this.host)" } -Force
}

AfterAll {
    Remove-TypeData -TypeName $TypeWithExtra -ErrorAction SilentlyContinue
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'Reading the properties of PSCustomObjects by shape' {
    It 'keeps a property that type data gives one type name, next to objects with the same notes and other names' {
        $file = Join-Path $TestDrive 'typedata.bin'
        $plain = [pscustomobject]@{ host = 'a'; bytes = 1 }
        $typed = [pscustomobject]@{ host = 'b'; bytes = 2 }
        $typed.PSTypeNames.Insert(0, $TypeWithExtra)
        $plain, $typed, $plain | Export-CapnpMessage $file
        $back = @(Import-CapnpMessage $file)
        $back.Count | Should -Be 3
        # The plain objects never had the property: they come back without it, not with a null.
        $back[0].PSObject.Properties['extra'] | Should -BeNullOrEmpty
        $back[1].extra | Should -Be 'extra of b'
        $back[1].bytes | Should -Be 2
        $back[2].PSObject.Properties['extra'] | Should -BeNullOrEmpty
    }

    It 'reads notes of the same names in another order, or with one more, by their own names' {
        $file = Join-Path $TestDrive 'order.bin'
        $rows = @(
            [pscustomobject]@{ a = 1; b = 'x' }
            [pscustomobject]@{ b = 'y'; a = 2 }
            ([pscustomobject]@{ a = 3; b = 'z' } | Add-Member -NotePropertyName c -NotePropertyValue 'more' -PassThru)
            [pscustomobject]@{ a = 4; b = 'w' }
        )
        $rows | Export-CapnpMessage $file
        $back = @(Import-CapnpMessage $file)
        ($back | ForEach-Object { "$($_.a)$($_.b)$(if ($c = $_.PSObject.Properties['c']) { $c.Value })" }) -join ',' | Should -Be '1x,2y,3zmore,4w'
        # Only the third object had c.
        ($back | ForEach-Object { $null -ne $_.PSObject.Properties['c'] }) -join ',' | Should -Be 'False,False,True,False'
    }

    It 'writes objects of more shapes than it keeps plans for (the rest through PowerShell''s own lookup)' {
        $file = Join-Path $TestDrive 'shapes.bin'
        # Twenty shapes: one note each, named differently, each value its shape's number.
        $rows = foreach ($i in 0..19) { [pscustomobject]@{ "p$i" = $i } }
        $rows | Export-CapnpMessage $file
        $back = @(Import-CapnpMessage $file)
        $back.Count | Should -Be 20
        foreach ($i in 0..19) { $back[$i]."p$i" | Should -Be $i -Because "record $i has only p$i" }
    }
}
