#Requires -Version 7.4
# Depth with no schema: -Depth goes up to 100, as ConvertTo-Json's; a JSON document far deeper than Cap'n Proto's
# default nesting limit of 64 comes back as it went in and reads with capnp convert and capnp-es by the schema it
# carries; where nesting is cut, one warning names every cut path; and a record keeps the hidden code properties the
# default views read (FileInfo's NameString), so files print the directory table with their names.
# docs/object-conversion.md, "Depth" and "Code properties the views read", points here.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'StockReaders.ps1')

    # A document nested $Levels objects deep, as ConvertFrom-Json gives it: every level an object with a string, an
    # integer, a double, a bool and a null, and its next level; at every $ArrayEvery-th level the next level is an
    # array of two objects of the same shape (homogeneous: arrays that mix objects and plain values are added when
    # unions of kinds exist).
    function New-DeepJson([int] $Levels, [int] $ArrayEvery) {
        function Level([int] $n) {
            if ($n -ge $Levels) { return [ordered]@{ leaf = "end $n"; n = $n } }
            $o = [ordered]@{ name = "level $n"; n = $n; ratio = $n + 0.25; even = ($n % 2 -eq 0); none = $null }
            $o.next = if ($n % $ArrayEvery -eq $ArrayEvery - 1) { @((Level ($n + 1)), (Level ($n + 1))) } else { Level ($n + 1) }
            $o
        }
        Level 0 | ConvertTo-Json -Depth 100 -Compress
    }

    # Exports the document with -Depth 100 and imports it; both as ConvertTo-Json -Depth 100 text, and the file.
    function Invoke-JsonRoundTrip([string] $Name, [string] $Json) {
        $file = Join-Path $TestDrive "$Name.bin"
        $in = $Json | ConvertFrom-Json
        $in | Export-CapnpMessage -Path $file -Depth 100 -WarningVariable warned
        $warned | Should -BeNullOrEmpty -Because 'nothing is cut at -Depth 100'
        $back = @(Import-CapnpMessage -Path $file)
        $back.Count | Should -Be 1
        @{ In = ($in | ConvertTo-Json -Depth 100); Back = ($back[0] | ConvertTo-Json -Depth 100); File = $file }
    }

    # How deep a document's objects nest (the number of objects on its deepest path).
    function Get-ObjectDepth([string] $Json) {
        function Depth([Text.Json.JsonElement] $e) {
            $below = 0
            switch ($e.ValueKind) {
                'Object' { foreach ($p in $e.EnumerateObject()) { $below = [Math]::Max($below, (Depth $p.Value)) }; return $below + 1 }
                'Array' { foreach ($item in $e.EnumerateArray()) { $below = [Math]::Max($below, (Depth $item)) }; return $below }
                default { return 0 }
            }
        }
        $document = [Text.Json.JsonDocument]::Parse($Json, [Text.Json.JsonDocumentOptions]@{ MaxDepth = 256 })
        try { Depth $document.RootElement } finally { $document.Dispose() }
    }
}

AfterAll {
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe '-Depth' {
    It 'goes up to 100 on every cmdlet that infers, as ConvertTo-Json''s' {
        $inferring = @(Get-Command -Module CapMap | Where-Object { $_.Parameters -and $_.Parameters.ContainsKey('Depth') })
        $inferring.Name | Should -Contain 'Export-CapnpMessage'
        $inferring.Name | Should -Contain 'New-CapnpMappedMessage'
        $inferring.Name | Should -Contain 'ConvertTo-CapnpSchema'
        foreach ($command in $inferring) {
            $range = $command.Parameters.Depth.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] }
            $range.MaxRange | Should -Be 100 -Because "$($command.Name) -Depth allows what ConvertTo-Json -Depth allows"
        }
        $schema = [pscustomobject]@{ a = [pscustomobject]@{ b = 1 } } | ConvertTo-CapnpSchema -Depth 100 -AsText
        $schema | Should -Match 'struct RecordA'
    }

    It 'refuses 101 with a parameter error naming the range' {
        $file = Join-Path $TestDrive 'too-deep.bin'
        $e = { [pscustomobject]@{ a = 1 } | Export-CapnpMessage -Path $file -Depth 101 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,CapMap.PowerShell.Commands.ExportCapnpMessageCommand' -PassThru
        $e.Exception.Message | Should -Match '100'
        Test-Path -LiteralPath $file | Should -BeFalse
        { [pscustomobject]@{ a = 1 } | ConvertTo-CapnpSchema -Depth 101 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }
}

Describe 'A deep JSON document round-trips' {
    # 41 objects: more than 30 levels, with arrays of objects at four of them. 96 objects and 3 arrays nest 99
    # levels, past the usual nesting limit of 64 and within ConvertTo-Json -Depth 100 (it counts arrays as levels).
    It 'a document <Objects> objects deep: ConvertTo-Json -Depth 100 gives the same text both ways, and capnp, capnp-es and CapMap read it alike' -ForEach @(
        @{ Levels = 40; ArrayEvery = 10; Objects = 41 }
        @{ Levels = 95; ArrayEvery = 30; Objects = 96 }
    ) {
        $json = New-DeepJson -Levels $Levels -ArrayEvery $ArrayEvery
        Get-ObjectDepth $json | Should -Be $Objects
        $trip = Invoke-JsonRoundTrip "deep$Objects" $json
        $trip.Back | Should -BeExactly $trip.In
        $trip.Back | Should -Match ('"leaf": "end {0}"' -f $Levels)
        # By the schema text the file carries. capnp convert lifts the nesting limit (a debugging tool, it reads any
        # depth), and capnp-es has none to speak of: the deepest leaf is there for both.
        $schemaFile = Save-CarriedSchemaText $trip.File
        Assert-StockReadersAgree -File $trip.File -SchemaFile $schemaFile
        $decoded = (& bash -c 'capnp convert binary:json --short "$0" Batch < "$1"' $schemaFile $trip.File) -join ''
        $LASTEXITCODE | Should -Be 0
        $decoded | Should -Match ('"leaf":\s*"end {0}"' -f $Levels)
    }
}

Describe 'Nesting cut at -Depth is told' {
    It 'one warning naming every cut path, with the records each took, in the documented wording' {
        $file = Join-Path $TestDrive 'cut.bin'
        $records = 1..12 | ForEach-Object {
            [pscustomobject]@{ id = $_; a = [pscustomobject]@{ b = [pscustomobject]@{ c = @{ x = $_ }; d = $_ } }; tags = @(@{ t = $_ }) }
        }
        $output = $records | Export-CapnpMessage -Path $file -Depth 2 3>&1
        $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
        $warnings | Should -HaveCount 1
        $warnings[0] | Should -BeExactly 'Values nested deeper than -Depth 2 were written as text: a.b.c (12 records). -Depth 3 keeps them as objects.'
        (Import-CapnpMessage -Path $file)[0].a.b.c | Should -BeExactly 'System.Collections.Hashtable'

        $output = $records | Select-Object -First 3 | Export-CapnpMessage -Path $file -Depth 1 -Force 3>&1
        $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
        $warnings | Should -BeExactly @(
            'Values nested deeper than -Depth 1 were written as text: a.b (3 records). -Depth 2 keeps them as objects.'
        )
        $output = $records | Select-Object -First 5 | Export-CapnpMessage -Path $file -Depth 0 -Force 3>&1
        $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
        $warnings | Should -BeExactly @(
            'Values nested deeper than -Depth 0 were written as text: a (5 records), tags[] (5 records). -Depth 1 keeps them as objects.'
        )
    }

    It 'no warning when nothing is cut' {
        $file = Join-Path $TestDrive 'uncut.bin'
        $output = 1..3 | ForEach-Object { [pscustomobject]@{ id = $_; a = [pscustomobject]@{ b = 'text' } } } | Export-CapnpMessage -Path $file 3>&1
        @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }) | Should -HaveCount 0
    }

    It 'Add-CapnpStruct on a message whose schema it infers warns the same way' {
        $file = Join-Path $TestDrive 'cut-open.bin'
        $m = New-CapnpMappedMessage -Path $file -Depth 1
        try {
            $output = 1..4 | ForEach-Object { [pscustomobject]@{ id = $_; a = [pscustomobject]@{ b = @{ x = $_ } } } } | Add-CapnpStruct -Message $m 3>&1
            $warnings = @($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
            $warnings | Should -BeExactly @('Values nested deeper than -Depth 1 were written as text: a.b (4 records). -Depth 2 keeps them as objects.')
        }
        finally {
            Complete-CapnpMappedMessage $m | Out-Null
        }
    }
}

Describe 'Code properties the default views read' {
    BeforeAll {
        $script:Listing = Join-Path $TestDrive 'listing'
        $null = New-Item -ItemType Directory -Path (Join-Path $Listing 'sub one'), (Join-Path $Listing 'sub two')
        'alpha', 'beta gamma', 'delta' | ForEach-Object { Set-Content -LiteralPath (Join-Path $Listing "$_.txt") -Value $_ }
        $when = [datetime]::new(2026, 3, 4, 5, 6, 0)
        Get-ChildItem -LiteralPath $Listing -Recurse | ForEach-Object { $_.LastWriteTime = $when }

        # The table Format-Table prints for the items as Import-Clixml and as Import-CapnpMessage give them back.
        function Get-TablesBothWays([string] $Name, [object[]] $Items) {
            $xml = Join-Path $TestDrive "$Name.xml"
            $bin = Join-Path $TestDrive "$Name.bin"
            $Items | Export-Clixml -LiteralPath $xml
            $Items | Export-CapnpMessage -Path $bin -WarningAction SilentlyContinue
            @{
                Clixml = Import-Clixml -LiteralPath $xml | Format-Table | Out-String -Width 200
                CapMap = Import-CapnpMessage -Path $bin | Format-Table | Out-String -Width 200
            }
        }
    }

    It 'files print the directory table with their names, as Import-Clixml''s do' {
        $tables = Get-TablesBothWays 'files' @(Get-ChildItem -LiteralPath $Listing -File)
        $tables.CapMap | Should -BeExactly $tables.Clixml
        foreach ($name in 'alpha.txt', 'beta gamma.txt', 'delta.txt') { $tables.CapMap | Should -Match ([regex]::Escape($name)) }
    }

    It 'folders print the directory table with their names, as Import-Clixml''s do' {
        $tables = Get-TablesBothWays 'folders' @(Get-ChildItem -LiteralPath $Listing -Directory)
        $tables.CapMap | Should -BeExactly $tables.Clixml
        $tables.CapMap | Should -Match 'sub one'
        $tables.CapMap | Should -Match 'sub two'
    }

    It 'keeps the hidden code properties on records only, and no other hidden member' {
        $bin = Join-Path $TestDrive 'kept.bin'
        Get-ChildItem -LiteralPath $Listing -File | Export-CapnpMessage -Path $bin -WarningAction SilentlyContinue
        $back = @(Import-CapnpMessage -Path $bin)
        $names = $back[0].psobject.Properties.Name
        $names | Should -Contain 'NameString'
        $names | Should -Contain 'LengthString'
        $names | Should -Contain 'LastWriteTimeString'
        $names | Should -Not -Contain 'pstypenames'
        # The directory each file is in is a nested object: formatted by no view of its own, it keeps no hidden property.
        $back[0].Directory.psobject.Properties.Name | Should -Not -Contain 'NameString'
        $back.NameString | Should -Be (Get-ChildItem -LiteralPath $Listing -File).NameString
    }
}
