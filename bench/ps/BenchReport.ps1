# Chart and documentation helpers for tools/Bench.ps1 (dot-sourced). The SVG is written by hand: no external tools.

function Format-Num([double] $Value, [int] $Digits = 2) { $Value.ToString("F$Digits", [Globalization.CultureInfo]::InvariantCulture) }

# One panel: series of (x, y) points on linear axes. Each series: @{ Name; Color; Points = @(@(x, y), ...); Dashed }
function New-SvgPanel([double] $Left, [double] $Top, [double] $Width, [double] $Height, [string] $Title, [string] $XLabel,
    [string] $YLabel, [object[]] $Series, [switch] $LogY) {
    $all = @($Series | ForEach-Object { $_.Points } | Where-Object { $_ })
    $xMax = [Math]::Max(1, ($all | ForEach-Object { $_[0] } | Measure-Object -Maximum).Maximum) * 1.05
    $yValues = @($all | ForEach-Object { [Math]::Max($_[1], 0.1) })
    $yMaxRaw = ($yValues | Measure-Object -Maximum).Maximum
    if ($LogY) {
        $lo = [Math]::Floor([Math]::Log10([Math]::Max(0.1, ($yValues | Measure-Object -Minimum).Minimum)))
        $hi = [Math]::Ceiling([Math]::Log10($yMaxRaw * 1.01))
        if ($hi -le $lo) { $hi = $lo + 1 }
        $ty = { param($v) $Top + $Height - ([Math]::Log10([Math]::Max($v, 0.1)) - $lo) / ($hi - $lo) * $Height }
        $ticks = $lo..$hi | ForEach-Object { [Math]::Pow(10, $_) }
    }
    else {
        $step = [Math]::Pow(10, [Math]::Floor([Math]::Log10([Math]::Max($yMaxRaw, 1e-3))))
        if ($yMaxRaw / $step -lt 3) { $step /= 2 }
        $yMax = [Math]::Ceiling($yMaxRaw * 1.05 / $step) * $step
        $ty = { param($v) $Top + $Height - $v / $yMax * $Height }
        $ticks = for ($v = 0; $v -le $yMax + 1e-9; $v += $step) { $v }
    }
    $tx = { param($v) $Left + $v / $xMax * $Width }
    $sb = [Text.StringBuilder]::new()
    [void]$sb.AppendLine("<text x='$(Format-Num ($Left + $Width / 2) 1)' y='$(Format-Num ($Top - 14) 1)' text-anchor='middle' font-size='14' font-weight='bold'>$Title</text>")
    [void]$sb.AppendLine("<rect x='$Left' y='$Top' width='$Width' height='$Height' fill='none' stroke='#444'/>")
    foreach ($t in $ticks) {
        $y = & $ty $t
        [void]$sb.AppendLine("<line x1='$Left' x2='$(Format-Num ($Left + $Width) 1)' y1='$(Format-Num $y 1)' y2='$(Format-Num $y 1)' stroke='#ddd'/>")
        $label = if ($t -ge 100) { Format-Num $t 0 } elseif ($t -ge 1) { Format-Num $t 1 } else { Format-Num $t 2 }
        [void]$sb.AppendLine("<text x='$(Format-Num ($Left - 6) 1)' y='$(Format-Num ($y + 4) 1)' text-anchor='end' font-size='11'>$label</text>")
    }
    $xStep = if ($xMax -gt 8) { 4 } elseif ($xMax -gt 2) { 1 } else { 0.25 }
    for ($v = 0; $v -le $xMax; $v += $xStep) {
        $x = & $tx $v
        [void]$sb.AppendLine("<line x1='$(Format-Num $x 1)' x2='$(Format-Num $x 1)' y1='$(Format-Num ($Top + $Height) 1)' y2='$(Format-Num ($Top + $Height + 4) 1)' stroke='#444'/>")
        [void]$sb.AppendLine("<text x='$(Format-Num $x 1)' y='$(Format-Num ($Top + $Height + 16) 1)' text-anchor='middle' font-size='11'>$(Format-Num $v $(if ($xStep -lt 1) { 2 } else { 0 }))</text>")
    }
    [void]$sb.AppendLine("<text x='$(Format-Num ($Left + $Width / 2) 1)' y='$(Format-Num ($Top + $Height + 34) 1)' text-anchor='middle' font-size='12'>$XLabel</text>")
    [void]$sb.AppendLine("<text transform='translate($(Format-Num ($Left - 44) 1),$(Format-Num ($Top + $Height / 2) 1)) rotate(-90)' text-anchor='middle' font-size='12'>$YLabel</text>")
    $legendY = $Top + 14
    foreach ($s in $Series) {
        $points = @($s.Points | Where-Object { $_ } | Sort-Object { $_[0] })
        if ($points.Count -eq 0) { continue }
        $dash = if ($s.ContainsKey('Dashed') -and $s.Dashed) { " stroke-dasharray='5,4'" } else { '' }
        if ($points.Count -gt 1) {
            $path = ($points | ForEach-Object { "$(Format-Num (& $tx $_[0]) 1),$(Format-Num (& $ty $_[1]) 1)" }) -join ' '
            [void]$sb.AppendLine("<polyline points='$path' fill='none' stroke='$($s.Color)' stroke-width='2'$dash/>")
        }
        foreach ($p in $points) {
            [void]$sb.AppendLine("<circle cx='$(Format-Num (& $tx $p[0]) 1)' cy='$(Format-Num (& $ty $p[1]) 1)' r='3.5' fill='$($s.Color)'><title>$($s.Name): $(Format-Num $p[1] 2) at $(Format-Num $p[0] 2) GB</title></circle>")
        }
        [void]$sb.AppendLine("<line x1='$(Format-Num ($Left + 10) 1)' x2='$(Format-Num ($Left + 30) 1)' y1='$(Format-Num $legendY 1)' y2='$(Format-Num $legendY 1)' stroke='$($s.Color)' stroke-width='2'$dash/>")
        [void]$sb.AppendLine("<text x='$(Format-Num ($Left + 36) 1)' y='$(Format-Num ($legendY + 4) 1)' font-size='11'>$($s.Name)</text>")
        $legendY += 16
    }
    $sb.ToString()
}

function New-BenchChart($Summary, $CoreTable) {
    $scale = @($Summary.scale)
    $coreGB = $Summary.core_bytes / 1e9
    $cpp = $CoreTable | Where-Object { $_.Writer -eq 'C++ reference' -and -not $_.Fsync }
    $fault = $CoreTable | Where-Object { $_.Writer -eq 'CapMap Fault' -and -not $_.Fsync }
    $eager = $CoreTable | Where-Object { $_.Writer -eq 'CapMap Eager' -and -not $_.Fsync }
    $limit = $CoreTable | Where-Object { $_.Writer -eq 'limit (C)' -and -not $_.Fsync }
    $capmapTime = @($scale | ForEach-Object { , @(($_.Bytes / 1e9), $_.'Wall s') })
    $limitTime = @($scale | ForEach-Object { , @(($_.Bytes / 1e9), ($_.'Limit s per GB' * $_.Bytes / 1e9)) })
    $timeSeries = @(
        @{ Name = 'CapMap Fault, scale runs (256 B payload)'; Color = '#1f77b4'; Points = $capmapTime }
        @{ Name = 'limit (fallocate + populate + write)'; Color = '#2ca02c'; Points = $limitTime; Dashed = $true }
        @{ Name = 'CapMap Fault, core workload'; Color = '#17becf'; Points = @(, @($coreGB, $fault.'Wall s')) }
        @{ Name = 'CapMap Eager, core workload'; Color = '#9467bd'; Points = @(, @($coreGB, $eager.'Wall s')) }
        @{ Name = 'C++ reference, core workload'; Color = '#d62728'; Points = @(, @($coreGB, $cpp.'Wall s')) }
    )
    $memSeries = @(
        @{ Name = 'CapMap peak anonymous RSS'; Color = '#1f77b4'; Points = @(@($scale | ForEach-Object { , @(($_.Bytes / 1e9), $_.'Peak anon MiB') }) + @(, @($coreGB, $fault.'Peak anon MiB'))) }
        @{ Name = 'CapMap peak RSS (file pages of the mapping)'; Color = '#ff7f0e'; Points = @(@($scale | ForEach-Object { , @(($_.Bytes / 1e9), $_.'Peak RSS MiB') }) + @(, @($coreGB, $fault.'Peak RSS MiB'))); Dashed = $true }
        @{ Name = 'C++ reference peak anonymous RSS'; Color = '#d62728'; Points = @(, @($coreGB, $cpp.'Peak anon MiB')) }
        @{ Name = 'limit (C) peak anonymous RSS'; Color = '#2ca02c'; Points = @(, @($coreGB, [Math]::Max(0.1, $limit.'Peak anon MiB'))); Dashed = $true }
    )
    $w = 980; $h = 420
    $sb = [Text.StringBuilder]::new()
    [void]$sb.AppendLine("<svg xmlns='http://www.w3.org/2000/svg' width='$w' height='$h' viewBox='0 0 $w $h' font-family='sans-serif'>")
    [void]$sb.AppendLine("<rect width='$w' height='$h' fill='white'/>")
    [void]$sb.Append((New-SvgPanel 70 50 360 300 'Wall time (build + finish, no fsync)' 'message size (GB)' 'seconds' $timeSeries))
    [void]$sb.Append((New-SvgPanel 590 50 360 300 'Peak memory' 'message size (GB)' 'MiB (log scale)' $memSeries -LogY))
    $m = $Summary.machine
    [void]$sb.AppendLine("<text x='$($w / 2)' y='$($h - 12)' text-anchor='middle' font-size='11' fill='#555'>$($Summary.date): $($m.cpus) CPUs, $($m.memory_gib) GiB, Linux $($m.kernel), $($m.fs); medians of $($Summary.repeats) interleaved runs (scale: 1 run above 1 GB)</text>")
    [void]$sb.AppendLine('</svg>')
    $sb.ToString()
}

function ConvertTo-MarkdownTable([object[]] $Rows) {
    if (-not $Rows) { return '' }
    $names = $Rows[0].PSObject.Properties.Name
    $lines = @(('| ' + ($names -join ' | ') + ' |'), ('|' + (($names | ForEach-Object { '---' }) -join '|') + '|'))
    foreach ($r in $Rows) { $lines += '| ' + (($names | ForEach-Object { "$($r.$_)" }) -join ' | ') + ' |' }
    $lines -join "`n"
}

# Replaces the text between the bench markers of docs/benchmarks.md with the latest numbers.
function Update-BenchDoc([string] $Path, $Summary, $CoreTable, $ScaleRows) {
    $begin = '<!-- bench:begin (generated by tools/Bench.ps1; do not edit by hand) -->'
    $end = '<!-- bench:end -->'
    $m = $Summary.machine
    $ps = $Summary.powershell
    $cg = $Summary.bigger_than_memory
    $target = { param($ok) if ($ok) { 'met' } else { '**missed**' } }
    $keys = @(
        ,@('core_vs_cpp_wall_ratio', $Summary.core_vs_cpp_wall_ratio, '≤ 0.5', (& $target ($Summary.core_vs_cpp_wall_ratio -le 0.5)))
        ,@('core_vs_limit_ratio', $Summary.core_vs_limit_ratio, '≤ 1.3', (& $target ($Summary.core_vs_limit_ratio -le 1.3)))
        ,@('core_vs_cpp_wall_ratio_1m', $Summary['core_vs_cpp_wall_ratio_1m'], '≤ 0.5', (& $target ($null -ne $Summary['core_vs_cpp_wall_ratio_1m'] -and $Summary['core_vs_cpp_wall_ratio_1m'] -le 0.5)))
        ,@('core_vs_limit_ratio_1m', $Summary['core_vs_limit_ratio_1m'], '≤ 1.5', (& $target ($null -ne $Summary['core_vs_limit_ratio_1m'] -and $Summary['core_vs_limit_ratio_1m'] -le 1.5)))
        ,@('core_moved_bytes', $Summary['core_moved_bytes'], '0 on ext4', (& $target ($null -ne $Summary['core_moved_bytes'] -and ($Summary['core_moved_bytes'] -eq 0 -or $Summary.machine.fs -ne 'ext4'))))
        ,@('core_bytes_vs_compact_ratio', $Summary['core_bytes_vs_compact_ratio'], '≤ 1.02', (& $target ($null -ne $Summary['core_bytes_vs_compact_ratio'] -and $Summary['core_bytes_vs_compact_ratio'] -le 1.02)))
        ,@('scale_16gb_vs_1gb_per_gb_ratio', $Summary['scale_16gb_vs_1gb_per_gb_ratio'], '≤ 1.3', (& $target ($null -ne $Summary['scale_16gb_vs_1gb_per_gb_ratio'] -and $Summary['scale_16gb_vs_1gb_per_gb_ratio'] -le 1.3)))
        ,@('peak_anon_rss_mib', $Summary.peak_anon_rss_mib, '≤ 64', (& $target ($Summary.peak_anon_rss_mib -le 64)))
        ,@('export_vs_exportcsv_cost_ratio', $Summary.export_vs_exportcsv_cost_ratio, '≤ 0.333', (& $target ($null -ne $Summary.export_vs_exportcsv_cost_ratio -and $Summary.export_vs_exportcsv_cost_ratio -le 1 / 3)))
        ,@('import_vs_importcsv_speedup', $Summary.import_vs_importcsv_speedup, '≥ 5', (& $target ($null -ne $Summary.import_vs_importcsv_speedup -and $Summary.import_vs_importcsv_speedup -ge 5)))
        ,@('export_fileinfo_vs_exportcsv_cost_ratio', $Summary['export_fileinfo_vs_exportcsv_cost_ratio'], '≤ 0.333', (& $target ($null -ne $Summary['export_fileinfo_vs_exportcsv_cost_ratio'] -and $Summary['export_fileinfo_vs_exportcsv_cost_ratio'] -le 1 / 3)))
        ,@('import_fileinfo_vs_importcsv_speedup', $Summary['import_fileinfo_vs_importcsv_speedup'], '≥ 5', (& $target ($null -ne $Summary['import_fileinfo_vs_importcsv_speedup'] -and $Summary['import_fileinfo_vs_importcsv_speedup'] -ge 5)))
        ,@('export_alloc_bytes_per_record', $Summary['export_alloc_bytes_per_record'], 'report', '')
        ,@('import_alloc_bytes_per_record', $Summary['import_alloc_bytes_per_record'], 'report', '')
        ,@('export_binding_floor_vs_exportcsv_cost_ratio', $Summary['export_binding_floor_vs_exportcsv_cost_ratio'], 'report', '')
        ,@('export_bulk_vs_exportcsv_cost_ratio', $Summary['export_bulk_vs_exportcsv_cost_ratio'], 'report', '')
        ,@('import_floor_vs_importcsv_speedup', $Summary['import_floor_vs_importcsv_speedup'], 'report', '')
        ,@('export_fileinfo_script_floor_vs_exportcsv_cost_ratio', $Summary['export_fileinfo_script_floor_vs_exportcsv_cost_ratio'], 'report', '')
        ,@('import_touched_vs_importcsv_speedup', $Summary['import_touched_vs_importcsv_speedup'], 'report', '')
        ,@('import_fileinfo_touched_vs_importcsv_speedup', $Summary['import_fileinfo_touched_vs_importcsv_speedup'], 'report', '')
        ,@('bigger_than_memory_ok', $Summary.bigger_than_memory_ok, 'true', (& $target $Summary.bigger_than_memory_ok))
        # Workload 6 (issue 22): fresh processes against the CSV cmdlets; null where it was skipped (-SkipEveryday).
        ,@('everyday_export_10k_cost_ratio', $Summary['everyday_export_10k_cost_ratio'], '≤ 0.8', (& $target ($null -ne $Summary['everyday_export_10k_cost_ratio'] -and $Summary['everyday_export_10k_cost_ratio'] -le 0.8)))
        ,@('everyday_export_fileinfo_cost_ratio', $Summary['everyday_export_fileinfo_cost_ratio'], '≤ 1.0', (& $target ($null -ne $Summary['everyday_export_fileinfo_cost_ratio'] -and $Summary['everyday_export_fileinfo_cost_ratio'] -le 1.0)))
        ,@('everyday_import_10k_speedup', $Summary['everyday_import_10k_speedup'], '≥ 3', (& $target ($null -ne $Summary['everyday_import_10k_speedup'] -and $Summary['everyday_import_10k_speedup'] -ge 3)))
        ,@('everyday_peak_rss_ratio', $Summary['everyday_peak_rss_ratio'], '≤ 1.2', (& $target ($null -ne $Summary['everyday_peak_rss_ratio'] -and $Summary['everyday_peak_rss_ratio'] -le 1.2)))
        ,@('everyday_one_record_bytes', $Summary['everyday_one_record_bytes'], '≤ 16384', (& $target ($null -ne $Summary['everyday_one_record_bytes'] -and $Summary['everyday_one_record_bytes'] -le 16384)))
        ,@('everyday_one_record_cost_s', $Summary['everyday_one_record_cost_s'], '≤ 0.2', (& $target ($null -ne $Summary['everyday_one_record_cost_s'] -and $Summary['everyday_one_record_cost_s'] -le 0.2)))
        ,@('everyday_bytes_vs_canonical_ratio', $Summary['everyday_bytes_vs_canonical_ratio'], '≤ 1.02', (& $target ($null -ne $Summary['everyday_bytes_vs_canonical_ratio'] -and $Summary['everyday_bytes_vs_canonical_ratio'] -le 1.02)))
        ,@('everyday_export_10k_input_floor_ratio', $Summary['everyday_export_10k_input_floor_ratio'], 'report', '')
        ,@('everyday_export_fileinfo_input_floor_ratio', $Summary['everyday_export_fileinfo_input_floor_ratio'], 'report', '')
        ,@('cpp_reference_wall_s', $Summary.cpp_reference_wall_s, '', '')
        ,@('capmap_wall_s', $Summary.capmap_wall_s, '', '')
    ) | ForEach-Object {
        # Runs: how many measurements the value comes from (summary.json's key_runs; empty for a run that predates it).
        $runs = if ($Summary['key_runs'] -and $Summary['key_runs'].Contains($_[0])) { $Summary['key_runs'][$_[0]] } else { $null }
        [pscustomobject]@{ Key = "``$($_[0])``"; Value = $_[1]; Target = $_[2]; Result = $_[3]; Runs = $runs }
    }
    # Workload 5's floors (PowerShell's own share of the work), where the run measured them.
    $psHas = { param($k) $null -ne $ps -and ($(if ($ps -is [System.Collections.IDictionary]) { $ps.Contains($k) } else { $null -ne $ps.PSObject.Properties[$k] })) }
    $floors = if (& $psHas 'export_binding_floor_us_per_obj') { @"

PowerShell's own share (floors, report only: work that no exporter or importer of these objects can avoid), same repeats:

| Floor | µs per object | against Export-Csv's cost / Import-Csv's time |
|---|---|---|
| binding floor: the rows piped to ``Export-CapnpMessage -WhatIf``, minus Out-Null | $(Format-Num $ps.export_binding_floor_us_per_obj 2) | cost ratio $(Format-Num $ps.export_binding_floor_vs_exportcsv_cost_ratio 3) |
| bulk export: ``Export-CapnpMessage -InputObject `$rows`` (its whole time) | $(Format-Num $ps.export_bulk_us_per_obj 2) | cost ratio $(Format-Num $ps.export_bulk_vs_exportcsv_cost_ratio 3) |
| import floor: ``(`$rows \| Measure-Object).Count`` | $(Format-Num $ps.import_floor_us_per_obj 2) | Import-Csv / floor $(Format-Num $ps.import_floor_vs_importcsv_speedup 2) |

- Binding floor: PowerShell binding each piped object to Export-CapnpMessage, which then returns at once (ShouldProcess declined).
- Bulk export: the same records written without per-object pipeline binding (the list bound by name); its gap to the piped export is what binding costs the exporter.
- Import floor: objects that already exist, through the same consumer the imports use (Measure-Object): what the pipeline costs per object. Objects made fresh by an importer are hot in the cache where these, spread through a large heap, are not, so an importer can come in under it.

| | Import-CapnpMessage | Import-Csv |
|---|---|---|
| read all rows, every record's ``id`` read by the consumer (s) | $(Format-Num $ps.import_capnp_touched_s 2) | $(Format-Num $ps.import_csv_touched_s 2) |
"@ } else { '' }
    $fileFloors = if (& $psHas 'fileinfo_script_floor_us_per_obj') { @"
| read all rows, every record's ``Length`` read by the consumer (s) | $(Format-Num $ps.import_fileinfo_capnp_touched_s 2) | $(Format-Num $ps.import_fileinfo_csv_touched_s 2) |

Script floor: $(Format-Num $ps.fileinfo_script_floor_us_per_obj 1) µs per object, $(Format-Num $ps.export_fileinfo_script_floor_vs_exportcsv_cost_ratio 3) of Export-Csv's cost: every FileInfo's own script properties ($(@($ps.fileinfo_script_properties) -join ', ')) evaluated once, which both exporters must do (Export-Csv writes every property), so no exporter of the same data can skip it.
"@ } else { '' }
    $text = @"
$begin
Run of $($Summary.date) on $($m.cpus) CPUs ($($m.cpu)), $($m.memory_gib) GiB RAM, Linux $($m.kernel), $($m.fs), .NET $($m.dotnet), $($m.capnp);
total bench time $($Summary.total_seconds) s$(if ($Summary['workload_seconds']) { ' (' + (@($Summary['workload_seconds'].GetEnumerator() | ForEach-Object { "$($_.Key) $($_.Value) s" }) -join ', ') + ')' }).

### summary.json

$(ConvertTo-MarkdownTable $keys)

### Workloads 1 and 2: $($Summary.core_records) records ($([Math]::Round($Summary.core_bytes / 1e9, 2)) GB), medians of $($Summary.repeats) interleaved runs

$(ConvertTo-MarkdownTable @($CoreTable | Select-Object Writer, Fsync, 'Wall s', 'Build s', 'Finish s', 'Peak RSS MiB', 'Peak anon MiB', Runs))

At $($Summary['core_1m_records']) records (medians of $($Summary['core_1m_repeats']) interleaved runs): CapMap $($Summary['capmap_1m_wall_s']) s,
C++ $($Summary['cpp_reference_1m_wall_s']) s, limit $($Summary['limit_1m_wall_s']) s. Message bytes: CapMap $($Summary.core_bytes), the compact
one-segment encoding of the same records (C++ with a first segment large enough) $($Summary['compact_bytes']); bytes moved by gap moves
while building: $($Summary['core_moved_bytes']).

Both outputs verified with the CapMap reader (count and 1000 recomputed records): CapMap $($Summary.verify_capmap), C++ $($Summary.verify_cpp);
a 1000-record message from each decodes to the same text with ``capnp convert binary:text``.

### Workload 3: scale (Fault mode, 256-byte payload)

$(ConvertTo-MarkdownTable $ScaleRows)

### Workload 4: bigger than memory (256 MiB memory cgroup, v1)

CapMap: $($cg.records) records, $($cg.bytes) bytes, exit $($cg.capmap_exit), $($cg.capmap_wall_s) s, peak anonymous RSS $($cg.capmap_peak_anon_rss_mib) MiB,
cgroup peak usage (page cache included) $($cg.cgroup_max_usage_mib) MiB; verification inside the cgroup: $($cg.verify) ($($cg.verify_checked) records recomputed).
C++ reference, same records, same cap: exit $($cg.cpp_exit) (killed: $($cg.cpp_killed); $($cg.cpp_oom_kills)). $(if ($cg.Keys -contains 'note') { $cg.note })

### Workload 5: PowerShell ($($ps.records) [pscustomobject] records, medians of $($ps.repeats))

| | Export-CapnpMessage | Export-Csv |
|---|---|---|
| pipeline total (s) | $(Format-Num $ps.export_capnp_s 2) | $(Format-Num $ps.export_csv_s 2) |
| cost per object, minus the same array piped to Out-Null ($(Format-Num $ps.produce_s 3) s) (µs) | $(Format-Num $ps.export_capnp_cost_us_per_obj 2) | $(Format-Num $ps.export_csv_cost_us_per_obj 2) |
| file size (bytes) | $($ps.capnp_bytes) | $($ps.csv_bytes) |

| | Import-CapnpMessage | Import-Csv |
|---|---|---|
| read all rows (s) | $(Format-Num $ps.import_capnp_s 2) | $(Format-Num $ps.import_csv_s 2) |

Bytes allocated per record: export $(Format-Num $ps.export_alloc_bytes_per_record 0), import $(Format-Num $ps.import_alloc_bytes_per_record 0).
$floors

$(if ($ps.PSObject.Properties['file_records'] -or ($ps -is [System.Collections.IDictionary] -and $ps.Contains('file_records'))) { @"
$($ps.file_records) FileInfo objects from ``Get-ChildItem -Recurse -File``, inferred schema (no ``-Schema``):

| | Export-CapnpMessage | Export-Csv |
|---|---|---|
| pipeline total (s) | $(Format-Num $ps.export_fileinfo_capnp_s 2) | $(Format-Num $ps.export_fileinfo_csv_s 2) |
| cost per object, minus the same array piped to Out-Null (µs) | $(Format-Num $ps.export_fileinfo_capnp_cost_us_per_obj 1) | $(Format-Num $ps.export_fileinfo_csv_cost_us_per_obj 1) |
| read all rows (s), Import-CapnpMessage vs Import-Csv | $(Format-Num $ps.import_fileinfo_capnp_s 2) | $(Format-Num $ps.import_fileinfo_csv_s 2) |
$fileFloors
"@ })

![Time and peak memory against message size](benchmarks.svg)
$end
"@
    $doc = Get-Content -Raw -LiteralPath $Path
    $i = $doc.IndexOf($begin); $j = $doc.IndexOf($end)
    if ($i -lt 0 -or $j -lt 0) { throw "$Path has no bench markers." }
    $doc = $doc.Substring(0, $i) + $text + $doc.Substring($j + $end.Length)
    Set-Content -LiteralPath $Path -Value $doc -NoNewline
}
