# Shared by tests that run a child pwsh as a new user would (Package.Tests.ps1, Demo.Tests.ps1): dot-source it
# in BeforeAll. Defines $PwshFile and $PwshPrefix (how to start this pwsh again), Invoke-IsolatedPwsh and
# New-CleanEnvironment.

# A fresh pwsh of this version: a local-tool pwsh runs as `dotnet <PSHOME>/pwsh.dll`.
$script:PwshFile = [Environment]::ProcessPath
$script:PwshPrefix = @(if ((Split-Path -Leaf $PwshFile) -in 'dotnet', 'dotnet.exe') { Join-Path $PSHOME 'pwsh.dll' })

# Runs a script in a child pwsh whose environment is exactly $Environment (nothing inherited), so HOME,
# PATH and PSModulePath are what a new user on a machine without build tools has.
function Invoke-IsolatedPwsh {
    param([Parameter(Mandatory)] [string] $ScriptPath, [Parameter(Mandatory)] [hashtable] $Environment, [string[]] $ArgumentList = @())
    $start = [Diagnostics.ProcessStartInfo]::new($PwshFile)
    foreach ($a in @($PwshPrefix) + @('-NoProfile', '-NonInteractive', '-File', $ScriptPath) + $ArgumentList) { $start.ArgumentList.Add($a) }
    $start.Environment.Clear()
    foreach ($k in $Environment.Keys) { $start.Environment[$k] = [string] $Environment[$k] }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($start)
    $stderr = $process.StandardError.ReadToEndAsync()
    $stdout = $process.StandardOutput.ReadToEnd()
    $process.WaitForExit()
    [pscustomobject]@{ ExitCode = $process.ExitCode; StdOut = $stdout; StdErr = $stderr.GetAwaiter().GetResult() }
}

# HOME and PATH of a user without build tools: PATH holds only a link to the dotnet host that runs pwsh.
function New-CleanEnvironment([string] $Root) {
    $homeDir = New-Item -ItemType Directory -Force -Path (Join-Path $Root 'home')
    $bin = New-Item -ItemType Directory -Force -Path (Join-Path $Root 'bin')
    $tmp = New-Item -ItemType Directory -Force -Path (Join-Path $Root 'tmp')
    if ((Split-Path -Leaf $PwshFile) -in 'dotnet', 'dotnet.exe') {
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $bin 'dotnet') -Target $PwshFile
    }
    else {
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $bin 'pwsh') -Target $PwshFile
    }
    @{ HOME = $homeDir.FullName; PATH = $bin.FullName; TMPDIR = $tmp.FullName; LANG = 'C.UTF-8'; DOTNET_CLI_TELEMETRY_OPTOUT = '1'; DOTNET_NOLOGO = '1' }
}
