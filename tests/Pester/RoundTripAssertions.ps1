# Issue 21's round trips with no schema, as one assertion: dot-source in BeforeAll (it dot-sources TestHelpers.ps1,
# which imports the module, and StockReaders.ps1), and call Clear-RoundTripSession in AfterAll.
#
# Assert-CapnpRoundTrip exports a collection with no -Schema, imports it, and compares what came back with what went
# in, value by value, as faithfully as Import-Clixml would give it back: the .NET type of every plain value, the
# Deserialized.<type> name of every object of a .NET type, property names in order, nested objects, lists (and their
# .NET type where the type table keeps it), dictionaries (their type, their keys, in order for an OrderedDictionary,
# and values) and nulls. Where the nesting is cut at -Depth, the object is expected as its text AND a warning must
# name the property, because the promise is "every value comes back as it went in, or the user is told". Then every
# message of the file must be read by `capnp convert binary:json` and by capnp-es, each by that message's own
# `Get-CapnpSchema -AsText`, with the same values CapMap reads (Assert-StockReadersAgree): each case registers its
# file, and the last case of a test file reads them all (Assert-StockReaderChecks). A failure says which value
# differed and where (`[3].tags.x`).

. (Join-Path $PSScriptRoot 'TestHelpers.ps1')
. (Join-Path $PSScriptRoot 'StockReaders.ps1')

# The values the type table keeps as themselves (docs/object-conversion.md, "The type table"), besides primitives and
# enums. Kept here, not asked of CapMap, so that the oracle does not come from the code it judges.
$script:RoundTripPlainTypes = [type[]] @(
    [string], [char], [decimal], [datetime], [datetimeoffset], [timespan], [guid], [version], [uri], [ipaddress],
    [bigint], [Int128], [UInt128], [Half], [byte[]])

function Test-RoundTripPlainValue([object] $Value) {
    $type = $Value.GetType()
    $type.IsPrimitive -or $type.IsEnum -or $RoundTripPlainTypes -contains $type
}

# "[Int32] 42" or "[String] 'a…'": short enough for a failure message, exact about the type.
function Format-RoundTripValue([object] $Value) {
    if ($null -eq $Value) { return '$null' }
    $base = $Value.PSObject.BaseObject
    $text = if ($base -is [byte[]]) { [Convert]::ToBase64String($base) } else { $Value.PSObject.ToString() }
    if ($text.Length -gt 60) { $text = $text.Substring(0, 57) + '...' }
    "[$($base.GetType().Name)] '$text'"
}

# Equal as values of the same type: strings ordinally (a lone surrogate must survive), dates with their Kind or
# offset, decimals with their scale, bytes element by element.
function Test-RoundTripPlainEqual([object] $Expected, [object] $Actual) {
    switch ($Expected) {
        { $_ -is [string] } { return [string]::Equals($Expected, $Actual, [StringComparison]::Ordinal) }
        { $_ -is [byte[]] } { return [Linq.Enumerable]::SequenceEqual($Expected, [byte[]] $Actual) }
        { $_ -is [datetime] } { return $Expected.Ticks -eq $Actual.Ticks -and $Expected.Kind -eq $Actual.Kind }
        { $_ -is [datetimeoffset] } { return $Expected.Ticks -eq $Actual.Ticks -and $Expected.Offset -eq $Actual.Offset }
        { $_ -is [decimal] } { return $Expected.ToString([cultureinfo]::InvariantCulture) -ceq $Actual.ToString([cultureinfo]::InvariantCulture) }
    }
    [object]::Equals($Expected, $Actual)
}

# `.name` for a property or a key that reads as one, `['a b']` otherwise.
function Join-RoundTripPath([string] $Path, [object] $Name) {
    if ("$Name" -match '^[A-Za-z_][A-Za-z0-9_-]*$') { "$Path.$Name" } else { "$Path['$Name']" }
}

# The properties CapMap reads of an object: all of a record's (PSObject.Properties in order: adapted, note, alias,
# script and code properties), and a nested object's without its script properties (object-conversion.md, "Script
# properties"). A getter that throws reads as null, as Select-Object shows it.
function Get-RoundTripProperties([object] $Object, [bool] $IsRecord) {
    foreach ($property in $Object.PSObject.Properties) {
        if (-not $IsRecord -and $property.MemberType -eq 'ScriptProperty') { continue }
        # Assigned inside try: `$value = try { ... }` would unroll a one-element collection into its element.
        try { $value = $property.Value } catch { $value = $null }
        [pscustomobject]@{ Name = $property.Name; Value = $value }
    }
}

# The .NET type a list comes back as: T[] and List<T> of plain values keep their type, any other sequence is an
# object[] (the type table's rows for lists).
function Get-RoundTripListType([object] $List) {
    $type = $List.GetType()
    $element = if ($type.IsArray) { $type.GetElementType() }
    elseif ($type.IsGenericType -and $type.GetGenericTypeDefinition() -eq [Collections.Generic.List`1]) { $type.GetGenericArguments()[0] }
    if ($element -and $element -ne [object] -and ($element.IsPrimitive -or $element.IsEnum -or $RoundTripPlainTypes -contains $element)) { $type }
    else { [object[]] }
}

# Compares one value with what came back for it, recording each difference and each place the nesting was cut.
# $Level counts the objects and dictionaries around the value (the record is level 0; lists are no level), as
# -Depth counts them.
function Compare-RoundTripValue {
    param($Expected, $Actual, [string] $Path, [int] $Level, [int] $Depth, [string] $PropertyPath,
        [Collections.Generic.List[string]] $Differences, [Collections.Generic.List[pscustomobject]] $Cuts)

    # Plain assignments: `$e = if (...) { $x }` would unroll a one-element collection into its element.
    $e = $Expected
    if ($null -ne $e) { $e = $e.PSObject.BaseObject }
    $a = $Actual
    if ($null -ne $a) { $a = $a.PSObject.BaseObject }
    $at = if ($Path) { $Path } else { '(the value)' }
    if ($null -eq $e) {
        if ($null -ne $a) { $Differences.Add("${at}: expected `$null, got $(Format-RoundTripValue $Actual)") }
        return
    }
    if ($null -eq $a) { $Differences.Add("${at}: expected $(Format-RoundTripValue $Expected), got `$null"); return }

    if (Test-RoundTripPlainValue $e) {
        if ($a.GetType() -ne $e.GetType()) {
            $Differences.Add("${at}: expected $(Format-RoundTripValue $Expected), got $(Format-RoundTripValue $Actual)")
        } elseif (-not (Test-RoundTripPlainEqual $e $a)) {
            $Differences.Add("${at}: expected $(Format-RoundTripValue $Expected), got $(Format-RoundTripValue $Actual)")
        }
        return
    }

    $isList = $e -is [Collections.IEnumerable] -and $e -isnot [Collections.IDictionary]
    if (-not $isList -and $Level -gt $Depth) {
        # Below -Depth an object or a dictionary is written as its text, and the user must be told where.
        $Cuts.Add([pscustomobject]@{ Path = $at; Property = $PropertyPath; Type = $e.GetType().FullName })
        $text = $Expected.PSObject.ToString()
        if ($a -isnot [string] -or $a -cne $text) {
            $Differences.Add("${at}: cut at -Depth $Depth, expected the text $(Format-RoundTripValue $text), got $(Format-RoundTripValue $Actual)")
        }
        return
    }

    if ($e -is [Collections.IDictionary]) {
        $type = if ($e -is [Collections.Specialized.OrderedDictionary]) { [Collections.Specialized.OrderedDictionary] } else { [hashtable] }
        if ($a -isnot [Collections.IDictionary] -or $a.GetType() -ne $type) {
            $Differences.Add("${at}: expected a $($type.Name) (from a $($e.GetType().Name)), got $(Format-RoundTripValue $Actual)")
            return
        }
        # Only an OrderedDictionary keeps its order; a Hashtable enumerates in its hashing's order, so its keys are
        # compared as a set, and its values by key.
        $expectedEntries = @($e.GetEnumerator())
        $actualEntries = @($a.GetEnumerator())
        $ordered = $type -eq [Collections.Specialized.OrderedDictionary]
        if (-not $ordered) {
            $expectedEntries = @($expectedEntries | Sort-Object { "$($_.Key)" } -CaseSensitive)
            $actualEntries = @($actualEntries | Sort-Object { "$($_.Key)" } -CaseSensitive)
        }
        $expectedKeys = @($expectedEntries | ForEach-Object { Format-RoundTripValue $_.Key })
        $actualKeys = @($actualEntries | ForEach-Object { Format-RoundTripValue $_.Key })
        if (($expectedKeys -join ', ') -cne ($actualKeys -join ', ')) {
            $Differences.Add("${at}: expected the keys $($expectedKeys -join ', '), got $($actualKeys -join ', ')")
            return
        }
        for ($i = 0; $i -lt $expectedEntries.Count; $i++) {
            Compare-RoundTripValue $expectedEntries[$i].Value $actualEntries[$i].Value (Join-RoundTripPath $Path $expectedEntries[$i].Key) ($Level + 1) $Depth $PropertyPath $Differences $Cuts
        }
        return
    }

    if ($isList) {
        if ($a -isnot [Collections.IEnumerable] -or $a -is [string] -or $a -is [Collections.IDictionary]) {
            $Differences.Add("${at}: expected a list of $(@($e).Count), got $(Format-RoundTripValue $Actual)")
            return
        }
        $type = Get-RoundTripListType $e
        # Objects below -Depth are cut to their text, so such a list may come back as a list of strings.
        $elementsCut = $Level -gt $Depth -and $type -eq [object[]]
        if (-not $elementsCut -and $a.GetType() -ne $type) { $Differences.Add("${at}: expected a $($type.Name) (from a $($e.GetType().Name)), got a $($a.GetType().Name)") }
        $expectedItems = @($e)
        $actualItems = @($a)
        if ($expectedItems.Count -ne $actualItems.Count) {
            $Differences.Add("${at}: expected $($expectedItems.Count) elements, got $($actualItems.Count)")
        }
        for ($i = 0; $i -lt [math]::Min($expectedItems.Count, $actualItems.Count); $i++) {
            Compare-RoundTripValue $expectedItems[$i] $actualItems[$i] "$Path[$i]" $Level $Depth $PropertyPath $Differences $Cuts
        }
        return
    }

    # An object: its type's name as Import-Clixml gives it, then its properties in order.
    $typeName = $Expected.PSObject.TypeNames[0]
    if ($e -isnot [Management.Automation.PSCustomObject] -and $Actual.PSObject.TypeNames[0] -cne "Deserialized.$typeName") {
        $Differences.Add("${at}: expected an object typed Deserialized.$typeName, got one typed $($Actual.PSObject.TypeNames[0])")
    }
    if ($a -is [Collections.IDictionary] -or (Test-RoundTripPlainValue $a)) {
        $Differences.Add("${at}: expected an object with properties, got $(Format-RoundTripValue $Actual)")
        return
    }
    $expectedProperties = @(Get-RoundTripProperties $Expected ($Level -eq 0))
    if ($Level -eq 0) {
        # A record keeps the hidden code properties the default views read (FileInfo's NameString ...), which
        # enumerating properties does not show; looked up by name, the object has them.
        $shown = @($expectedProperties.Name)
        foreach ($name in @($Actual.PSObject.Properties.Name | Where-Object { $shown -cnotcontains $_ })) {
            $hidden = $Expected.PSObject.Properties[$name]
            if ($hidden -and $hidden.MemberType -eq 'CodeProperty') {
                try { $value = $hidden.Value } catch { $value = $null }
                $expectedProperties += [pscustomobject]@{ Name = $name; Value = $value }
            }
        }
    }
    $actualNames = @($Actual.PSObject.Properties.Name)
    if (($expectedProperties.Name -join ',') -cne ($actualNames -join ',')) {
        $Differences.Add("${at}: expected the properties $($expectedProperties.Name -join ','), got $($actualNames -join ',')")
    }
    foreach ($property in $expectedProperties) {
        $came = $Actual.PSObject.Properties[$property.Name]
        if (-not $came) { continue }
        $name = if ($PropertyPath) { "$PropertyPath.$($property.Name)" } else { $property.Name }
        Compare-RoundTripValue $property.Value $came.Value (Join-RoundTripPath $Path $property.Name) ($Level + 1) $Depth $name $Differences $Cuts
    }
}

# Compares what came back from the file with the values that went in, and fails with every difference (the first
# 25) and with every cut no warning names. $Warnings are the export's warnings.
function Assert-RoundTripValues {
    param([object[]] $Expected, [object[]] $Actual, [int] $Depth, [object[]] $Warnings = @())
    $differences = [Collections.Generic.List[string]]::new()
    $cuts = [Collections.Generic.List[pscustomobject]]::new()
    if ($Actual.Count -ne $Expected.Count) { $differences.Add("expected $($Expected.Count) values back, got $($Actual.Count)") }
    for ($i = 0; $i -lt [math]::Min($Expected.Count, $Actual.Count); $i++) {
        Compare-RoundTripValue $Expected[$i] $Actual[$i] "[$i]" 0 $Depth '' $differences $cuts
    }
    # One warning per property path is enough (ConvertTo-Json warns once); it must name the property.
    $warned = @($Warnings | ForEach-Object { "$_" })
    foreach ($cut in ($cuts | Group-Object Property | ForEach-Object { $_.Group[0] })) {
        $leaf = ($cut.Property -split '\.')[-1]
        if (-not ($warned | Where-Object { $_.Contains($leaf) })) {
            $differences.Add("$($cut.Path): a $($cut.Type) was cut to its text at -Depth $Depth, but no warning names '$($cut.Property)'")
        }
    }
    if ($cuts.Count -eq 0) {
        foreach ($warning in $warned) { $differences.Add("a warning although every value came back: $warning") }
    }
    if ($differences.Count -gt 0) {
        $shown = $differences | Select-Object -First 25
        throw "The round trip changed $($differences.Count) value(s):`n  " + ($shown -join "`n  ")
    }
}

# The messages the round trips wrote, for the stock readers: Register-StockReaderCheck adds a file's messages, and
# Assert-StockReaderChecks (the last case of a file) reads them all, capnp-es in one run of Node for all of them,
# because a run per message costs seconds of Node and TypeScript each.
$script:StockReaderChecks = [Collections.Generic.List[pscustomobject]]::new()

# The round trips' files outlive their Describe block (Pester empties TestDrive after each), so that the last case
# can read them: a folder of their own, which Clear-RoundTripSession (AfterAll) deletes.
$script:RoundTripRoot = Join-Path ([IO.Path]::GetTempPath()) "capmap-roundtrip-$([guid]::NewGuid().ToString('n'))"

# A new folder for one case's files.
function New-RoundTripDirectory([string] $Name = "roundtrip-$([guid]::NewGuid().ToString('n').Substring(0, 8))") {
    New-Item -ItemType Directory -Path (Join-Path $RoundTripRoot $Name) -Force
}

# The end of a file of round trips: its files go, and the module with them, as every test file removes it.
function Clear-RoundTripSession {
    if (Test-Path -LiteralPath $RoundTripRoot) { Remove-Item -LiteralPath $RoundTripRoot -Recurse -Force }
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

# Prepares every message of the file for the stock readers: its bytes alone (capnp convert reads a whole stream with
# one schema), its own schema text (Get-CapnpSchema -MessageIndex -AsText) and that text compiled for capnp-es.
# -RecordCountsOnly: the readers must only read each message and find its records (for text CapMap keeps beyond
# UTF-8, which they cannot give back alike).
function Register-StockReaderCheck([Parameter(Mandatory)] [string] $File, [switch] $RecordCountsOnly) {
    # The case's name, for the failure message of the check that runs later.
    $case = if ($____Pester.CurrentTest) { $____Pester.CurrentTest.ExpandedName } else { $File }
    $messages = @(Get-CapnpMessageInfo -LiteralPath $File -ErrorAction Stop)
    $messages.Count | Should -BeGreaterThan 0 -Because "'$File' holds messages"
    $bytes = [IO.File]::ReadAllBytes($File)
    foreach ($message in $messages) {
        $one = [IO.Path]::ChangeExtension($File, ".message$($message.Index).bin")
        $messageBytes = [byte[]]::new($message.MessageBytes)
        [Array]::Copy($bytes, $message.Offset, $messageBytes, 0, $message.MessageBytes)
        [IO.File]::WriteAllBytes($one, $messageBytes)
        $schema = Get-CapnpSchema -LiteralPath $File -MessageIndex $message.Index -ErrorAction Stop
        $schemaFile = [IO.Path]::ChangeExtension($one, '.capnp')
        Get-CapnpSchema -LiteralPath $File -MessageIndex $message.Index -AsText -ErrorAction Stop | Set-Content -LiteralPath $schemaFile
        $request = [IO.Path]::ChangeExtension($one, '.request.bin')
        & bash -c 'cd "$(dirname "$0")" && capnp compile -o- "$(basename "$0")" > "$1"' $schemaFile $request
        if ($LASTEXITCODE -ne 0) { throw "capnp compile failed on the schema text of message $($message.Index) of '$File' (exit code $LASTEXITCODE)." }
        $StockReaderChecks.Add([pscustomobject]@{
            Case = $case; File = $File; Index = $message.Index; MessageFile = $one; SchemaFile = $schemaFile
            Request = $request; OutDir = [IO.Path]::ChangeExtension($one, '.capnp-es'); Module = [IO.Path]::GetFileNameWithoutExtension($schemaFile) + '.js'
            RootType = $schema.RootType; List = $schema.GetStruct($schema.RootType).Fields[0].Name
            RecordCount = $message.RecordCount; RecordCountsOnly = [bool] $RecordCountsOnly
        })
    }
}

# Every registered message, read by capnp convert and capnp-es by its own schema text, gives the values CapMap reads
# by that message's carried schema (Assert-StockReadersAgree); fails with every message that does not, by case.
function Assert-StockReaderChecks {
    $StockReaderChecks.Count | Should -BeGreaterThan 0 -Because 'the round trips registered their files'
    $jobs = Join-Path (New-RoundTripDirectory 'capnp-es') 'jobs.json'
    ConvertTo-Json -InputObject @($StockReaderChecks | Select-Object @{ n = 'request'; e = 'Request' }, @{ n = 'outDir'; e = 'OutDir' },
        @{ n = 'module'; e = 'Module' }, @{ n = 'rootType'; e = 'RootType' }, @{ n = 'message'; e = 'MessageFile' }) | Set-Content -LiteralPath $jobs
    $lines = @(Invoke-CapnpEs 'read-carried.mjs' @($jobs))
    $lines.Count | Should -Be $StockReaderChecks.Count -Because 'capnp-es answers every message'
    $failures = [Collections.Generic.List[string]]::new()
    for ($i = 0; $i -lt $StockReaderChecks.Count; $i++) {
        $check = $StockReaderChecks[$i]
        $es = [Text.Json.Nodes.JsonNode]::Parse($lines[$i], $null, [CapMapTests.CanonicalJson]::Deep)
        try {
            if ($es['error']) { throw "capnp-es cannot read it: $($es['error'].GetValue[string]())" }
            $esRoot = $es['roots'][0].ToJsonString()
            if (-not $check.RecordCountsOnly) {
                Assert-StockReadersAgree -File $check.File -MessageIndex $check.Index -MessageFile $check.MessageFile -SchemaFile $check.SchemaFile `
                    -Type $check.RootType -List $check.List -CapnpEsJson $esRoot
                continue
            }
            $capnp = (& bash -c 'capnp convert binary:json "$0" "$1" < "$2"' $check.SchemaFile $check.RootType $check.MessageFile) -join "`n"
            if ($LASTEXITCODE -ne 0) { throw "capnp convert failed (exit code $LASTEXITCODE)." }
            @(($capnp | ConvertFrom-Json).($check.List)).Count | Should -Be $check.RecordCount -Because 'capnp reads every record'
            @(($esRoot | ConvertFrom-Json).($check.List)).Count | Should -Be $check.RecordCount -Because 'capnp-es reads every record'
        } catch {
            $failures.Add("$($check.Case): message $($check.Index) of '$($check.File)': $($_.Exception.Message)")
        }
    }
    if ($failures.Count -gt 0) { throw "$($failures.Count) of $($StockReaderChecks.Count) messages do not read alike:`n" + ($failures -join "`n") }
}

# Imports the file with no schema and asserts that it gives back $Expected (Assert-RoundTripValues), and that every
# message is registered for the stock readers (Assert-StockReaderChecks). For cases that write the file their own way (a stopped pipeline, an open
# message); returns what came back.
function Assert-CapnpFileRoundTrip {
    param([Parameter(Mandatory)] [string] $File, [Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Expected,
        [int] $Depth = 1, [object[]] $Warnings = @())
    $back = @(Import-CapnpMessage -LiteralPath $File -ErrorAction Stop)
    Register-StockReaderCheck -File $File
    Assert-RoundTripValues -Expected $Expected -Actual $back -Depth $Depth -Warnings $Warnings
    , $back
}

# Exports $InputObject with no schema (then $Append with -Append, if given; both with $ExportParameters, such as
# Depth or SampleSize), imports the file and asserts the round trip (Assert-CapnpFileRoundTrip). An export error
# fails the case. Returns the file, what came back and the export's warnings, for a case's own checks.
function Assert-CapnpRoundTrip {
    param(
        [Parameter(Mandatory)] [object[]] $InputObject,
        [object[]] $Append,
        [hashtable] $ExportParameters = @{}
    )
    $file = Join-Path (New-RoundTripDirectory) 'roundtrip.bin'
    $warnings = [Collections.Generic.List[object]]::new()
    $InputObject | Export-CapnpMessage -LiteralPath $file @ExportParameters -WarningVariable +warnings -WarningAction SilentlyContinue -ErrorAction Stop
    $expected = $InputObject
    if ($PSBoundParameters.ContainsKey('Append')) {
        $Append | Export-CapnpMessage -LiteralPath $file -Append @ExportParameters -WarningVariable +warnings -WarningAction SilentlyContinue -ErrorAction Stop
        $expected = @($InputObject) + @($Append)
    }
    $depth = if ($ExportParameters.ContainsKey('Depth')) { $ExportParameters.Depth } else { 1 }
    $back = Assert-CapnpFileRoundTrip -File $file -Expected $expected -Depth $depth -Warnings $warnings
    [pscustomobject]@{ File = $file; Output = $back; Warnings = $warnings }
}
