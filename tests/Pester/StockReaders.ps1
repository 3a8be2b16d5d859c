# Readers we did not write, over files that carry their schema: dot-source after TestHelpers.ps1. A file's own
# schema (Get-CapnpSchema -AsText) is compiled by capnp; `capnp convert binary:json` and capnp-es
# (tests/Unit/Interop/capnp-es, set up by `npm ci` as .ci/run does) decode the file by it, and both must give the
# values CapMap itself reads by the schema bytes the file carries (the stored values, with no .NET conversion).
# Nothing here skips: a missing tool is an error.

$script:CapnpEsDir = Join-Path $RepoRoot 'tests/Unit/Interop/capnp-es'
if (-not (Test-Path -LiteralPath (Join-Path $CapnpEsDir 'node_modules/capnp-es/package.json'))) {
    throw "capnp-es is not installed in $CapnpEsDir`: run `npm ci --prefix tests/Unit/Interop/capnp-es` (.ci/run does)."
}

if (-not ('CapMapTests.CanonicalJson' -as [type])) {
    Add-Type -TypeDefinition @'
using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CapMapTests
{
    // One spelling for a value however a reader prints it: object keys sorted, null (absent) members dropped,
    // integers whether JSON numbers or strings (capnp prints 64-bit integers as strings) in one decimal form,
    // other numbers as round-trip doubles. emptyTextAsNull also drops "" members, for capnp-es, whose generated
    // classes read a null Text as "".
    public static class CanonicalJson
    {
        // Files written with -Depth 100 nest deeper than System.Text.Json's default of 64 levels.
        public static readonly JsonDocumentOptions Deep = new() { MaxDepth = 1024 };

        public static string Of(string json, bool emptyTextAsNull)
        {
            var sb = new StringBuilder();
            Append(sb, JsonNode.Parse(json, null, Deep), emptyTextAsNull);
            return sb.ToString();
        }

        // Each element of a JSON array, canonical: one string per record.
        public static string[] Elements(string json, bool emptyTextAsNull) =>
            JsonNode.Parse(json, null, Deep).AsArray().Select(e => { var sb = new StringBuilder(); Append(sb, e, emptyTextAsNull); return sb.ToString(); }).ToArray();

        // The same spelling for the objects Import-CapnpMessage gives (records of stored values), without
        // the cost of ConvertTo-Json on thousands of records.
        public static string[] Objects(object[] records)
        {
            var result = new string[records.Length];
            for (int i = 0; i < records.Length; i++)
            {
                var sb = new StringBuilder();
                AppendObject(sb, records[i]);
                result[i] = sb.ToString();
            }
            return result;
        }

        // By name: this helper is compiled without a reference to the module's assemblies.
        private static bool IsRow(object value)
        {
            for (var t = value?.GetType(); t != null; t = t.BaseType)
                if (t.FullName == "CapMap.Objects.Reading.Row") return true;
            return false;
        }

        private static void AppendObject(StringBuilder sb, object value)
        {
            // A record: a PSCustomObject, or one of the row classes Import-CapnpMessage generates per struct.
            var pso = value as PSObject;
            if (pso?.BaseObject is PSCustomObject || IsRow(pso?.BaseObject ?? value))
            {
                pso ??= PSObject.AsPSObject(value);
                sb.Append('{');
                bool first = true;
                foreach (var p in pso.Properties.Where(p => p.Value != null).OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(',');
                    first = false;
                    sb.Append(p.Name).Append(':');
                    AppendObject(sb, p.Value);
                }
                sb.Append('}');
                return;
            }
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            switch (value)
            {
                case null: sb.Append("null"); return;
                case bool b: sb.Append(b ? "true" : "false"); return;
                case string s: Append(sb, JsonValue.Create(s), false); return;
                case float f: Append(sb, JsonNode.Parse(float.IsFinite(f) ? f.ToString("R", CultureInfo.InvariantCulture) : "\"" + f + "\""), false); return;
                case double d: Append(sb, JsonNode.Parse(double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "\"" + d + "\""), false); return;
                case IFormattable n when value.GetType().IsPrimitive || value is decimal:
                    sb.Append(n.ToString(null, CultureInfo.InvariantCulture));
                    return;
                case System.Collections.IEnumerable list:
                    sb.Append('[');
                    bool first = true;
                    foreach (var e in list)
                    {
                        if (!first) sb.Append(',');
                        first = false;
                        AppendObject(sb, e);
                    }
                    sb.Append(']');
                    return;
                default:
                    throw new ArgumentException("No canonical form for a " + value.GetType().FullName);
            }
        }

        private static void Append(StringBuilder sb, JsonNode node, bool emptyTextAsNull)
        {
            switch (node)
            {
                case null: sb.Append("null"); return;
                case JsonObject o:
                    sb.Append('{');
                    bool first = true;
                    foreach (var kv in o.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    {
                        if (kv.Value is null) continue;
                        if (emptyTextAsNull && kv.Value is JsonValue v && v.TryGetValue(out string s) && s.Length == 0) continue;
                        if (!first) sb.Append(',');
                        first = false;
                        sb.Append(kv.Key).Append(':');
                        Append(sb, kv.Value, emptyTextAsNull);
                    }
                    sb.Append('}');
                    return;
                case JsonArray a:
                    sb.Append('[');
                    for (int i = 0; i < a.Count; i++)
                    {
                        if (i > 0) sb.Append(',');
                        Append(sb, a[i], emptyTextAsNull);
                    }
                    sb.Append(']');
                    return;
                default:
                    var value = (JsonValue)node;
                    if (value.TryGetValue(out bool b)) { sb.Append(b ? "true" : "false"); return; }
                    if (value.TryGetValue(out string text))
                    {
                        if (BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big)) sb.Append(big.ToString(CultureInfo.InvariantCulture));
                        else sb.Append('"').Append(text).Append('"');
                        return;
                    }
                    string raw = value.ToJsonString();
                    if (BigInteger.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) { sb.Append(integer.ToString(CultureInfo.InvariantCulture)); return; }
                    double d = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
                    if (d == Math.Floor(d) && Math.Abs(d) < 1e15) sb.Append(((long)d).ToString(CultureInfo.InvariantCulture));
                    else sb.Append(d.ToString("R", CultureInfo.InvariantCulture));
                    return;
            }
        }
    }
}
'@
}

# Saves the schema the file carries as .capnp text next to it and returns that file's path.
function Save-CarriedSchemaText([string] $File) {
    $schemaFile = [IO.Path]::ChangeExtension($File, '.capnp')
    Get-CapnpSchema -LiteralPath $File -AsText -ErrorAction Stop | Set-Content -LiteralPath $schemaFile
    $schemaFile
}

# Runs node on one of the capnp-es scripts; its stdout lines.
function Invoke-CapnpEs([string] $Script, [string[]] $Arguments) {
    $lines = & node (Join-Path $CapnpEsDir $Script) @Arguments
    if ($LASTEXITCODE -ne 0) { throw "node $Script $Arguments failed (exit code $LASTEXITCODE)." }
    $lines
}

# capnp-es's JSON for each message of the file: struct classes generated from the compiled schema text.
function Read-WithCapnpEs([string] $File, [string] $SchemaFile, [string] $Type) {
    $dir = Split-Path -Parent $SchemaFile
    $out = Join-Path $dir ('capnp-es-' + [IO.Path]::GetFileNameWithoutExtension($SchemaFile))
    $null = New-Item -ItemType Directory -Force -Path $out
    $request = Join-Path $out 'request.bin'
    & bash -c 'cd "$(dirname "$0")" && capnp compile -o- "$(basename "$0")" > "$1"' $SchemaFile $request
    if ($LASTEXITCODE -ne 0) { throw "capnp compile failed on '$SchemaFile' (exit code $LASTEXITCODE)." }
    $null = Invoke-CapnpEs 'generate.mjs' @($request, $out)
    @(Invoke-CapnpEs 'read.mjs' @((Join-Path $out ([IO.Path]::GetFileNameWithoutExtension($SchemaFile) + '.js')), $Type, $File))
}

# Asserts capnp, capnp-es and CapMap read every record of the file's first message alike by the schema text the
# file carries: the same records, every field the same value. $List names the root's list (the records).
# For another message of a stream: $MessageIndex, and $MessageFile holding that message's bytes alone for capnp and
# capnp-es (capnp convert reads a whole stream with one schema); $CapnpEsJson is capnp-es's root for it when it was
# read already (read-carried.mjs reads many messages in one run of Node).
function Assert-StockReadersAgree {
    param([Parameter(Mandatory)] [string] $File, [string] $SchemaFile, [string] $Type = 'Batch', [string] $List = 'records',
        [int] $MessageIndex = 0, [string] $MessageFile = $File, [string] $CapnpEsJson)
    if (-not $SchemaFile) { $SchemaFile = Save-CarriedSchemaText $File }
    $capnpJson = (& bash -c 'capnp convert binary:json --short "$0" "$1" < "$2"' $SchemaFile $Type $MessageFile) -join "`n"
    if ($LASTEXITCODE -ne 0) { throw "capnp convert failed on '$MessageFile' (exit code $LASTEXITCODE)." }
    $capnpRoot = [Text.Json.Nodes.JsonNode]::Parse($capnpJson, $null, [CapMapTests.CanonicalJson]::Deep)
    $capnpList = if ($capnpRoot[$List]) { $capnpRoot[$List].ToJsonString() } else { '[]' }

    if (-not $CapnpEsJson) { $CapnpEsJson = @(Read-WithCapnpEs -File $MessageFile -SchemaFile $SchemaFile -Type $Type)[0] }
    $esRoot = [Text.Json.Nodes.JsonNode]::Parse($CapnpEsJson, $null, [CapMapTests.CanonicalJson]::Deep)
    $esList = if ($esRoot[$List]) { $esRoot[$List].ToJsonString() } else { '[]' }

    # CapMap reads by the schema bytes the file carries, loaded as a plain (precompiled) schema: the stored values
    # by the layout they were written with, which the text must reproduce for capnp and capnp-es.
    $carriedRequest = [IO.Path]::ChangeExtension($MessageFile, '.carried-request.bin')
    [IO.File]::WriteAllBytes($carriedRequest, [CapMap.Messages.EmbeddedSchema]::Read($File, $MessageIndex).CodeGeneratorRequest)
    $carried = Import-CapnpSchema -LiteralPath $carriedRequest
    $ours = @(Import-CapnpMessage -LiteralPath $File -MessageIndex $MessageIndex -Schema $carried -RootType $Type -Field $List)

    $capnp = [CapMapTests.CanonicalJson]::Elements($capnpList, $false)
    $capnpNoEmpty = [CapMapTests.CanonicalJson]::Elements($capnpList, $true)
    $es = [CapMapTests.CanonicalJson]::Elements($esList, $true)
    $mine = [CapMapTests.CanonicalJson]::Objects($ours)
    $capnp.Count | Should -BeGreaterThan 0 -Because "capnp reads records from '$File'"
    $es.Count | Should -Be $capnp.Count -Because 'capnp-es reads as many records as capnp'
    $mine.Count | Should -Be $capnp.Count -Because 'CapMap reads as many records as capnp'
    for ($i = 0; $i -lt $capnp.Count; $i++) {
        if ($mine[$i] -cne $capnp[$i]) { $mine[$i] | Should -BeExactly $capnp[$i] -Because "CapMap and capnp read record $i alike" }
        if ($es[$i] -cne $capnpNoEmpty[$i]) { $es[$i] | Should -BeExactly $capnpNoEmpty[$i] -Because "capnp-es and capnp read record $i alike" }
    }
}
