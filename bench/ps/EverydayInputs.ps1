# What the everyday scripts share (EverydayBench.ps1, WhereObjectFloor.ps1): the pwsh to start child processes with,
# and the rows their CSV pipelines read. Dot-source it.

# The same pwsh as this one, started the way a script would start it (the dotnet tool's pwsh runs through dotnet).
function Get-ThisPwsh {
    if ((Split-Path -Leaf ([Environment]::ProcessPath)) -eq 'dotnet') {
        @([Environment]::ProcessPath, (Join-Path $PSHOME 'pwsh.dll'))
    } else { @([Environment]::ProcessPath) }
}

# Writes $Count rows of text as Import-Csv gives it: every value a string, six columns of the kinds a log or an
# inventory has, every fourth row of kind 'beta'.
function Write-EverydayRowsCsv([string] $Path, [int] $Count) {
    $kinds = 'alpha', 'beta', 'gamma', 'delta'
    $invariant = [Globalization.CultureInfo]::InvariantCulture
    $lines = [Collections.Generic.List[string]]::new($Count + 1)
    $lines.Add('"id","time","host","kind","bytes","message"')
    for ($i = 0; $i -lt $Count; $i++) {
        $when = [DateTime]::new(2026, 1, 1).AddSeconds($i * 7).ToString('s', $invariant)
        $lines.Add("""$i"",""$when"",""host-$($i % 40)"",""$($kinds[$i % 4])"",""$(($i * 7919) % 100000)"",""request $i served in $($i % 997) ms""")
    }
    [IO.File]::WriteAllLines($Path, $lines)
}
