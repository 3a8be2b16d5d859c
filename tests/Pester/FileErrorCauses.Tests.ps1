#Requires -Version 7.4
# Each cause of a file error, through every cmdlet that opens files (issue 20, item 10): the message keeps the errno,
# and the ErrorId follows the cause the same way in every cmdlet (docs/cmdlets.md, "Causes of file errors"). Each
# cause is real: dropped capabilities (root without CAP_DAC_OVERRIDE meets file permissions), a read-only ext4 image
# on a loop device, a full tmpfs, a file-size limit, and a small FUSE file system (Faults/faultfs.c, compiled here)
# that fails growth past a quota with EDQUOT and reads of chosen files with EIO, as a quota and a failing disk do
# (this kernel has neither quotas nor device-mapper). One child pwsh per cause runs all six cmdlets. Needs root.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:ChildScript = Join-Path $PSScriptRoot 'Reliability/CauseChild.ps1'
    $script:Precompiled = Join-Path $TestDrive 'ops.capnp.bin'
    $null = Import-CapnpSchema -LiteralPath $SchemaPath -SavePrecompiled $Precompiled
    # A small complete message (well under every limit below) for the cmdlets that open an existing file, with
    # 4 KiB of slack after it, so that Resize has something to cut (a file without slack it does not open for writing).
    $script:Message = Join-Path $TestDrive 'message.bin'
    1..100 | ForEach-Object { New-TestRecord $_ } | Export-CapnpMessage -Path $Message -Schema $Schema -RootType Batch
    $fs = [IO.File]::Open($Message, 'Open', 'ReadWrite'); $fs.SetLength($fs.Length + 4096); $fs.Dispose()

    # The child's report per cmdlet, under `bash -c "<ShellPrefix>; exec <Wrapper> pwsh ..."`.
    function Invoke-CauseChild([string] $ShellPrefix, [string] $Directory, [string] $Existing, [string] $Wrapper = '') {
        $run = Invoke-ChildPwsh -Script $ChildScript -ShellPrefix $ShellPrefix -Wrapper $Wrapper -Arguments @('-ModuleManifest', $ModuleManifest,
            '-SchemaPath', $Precompiled, '-Directory', $Directory, '-Existing', $Existing)
        $lines = $run.Output -split "`n"
        if ($lines -notcontains 'DONE') { throw "The child ended without DONE (exit code $($run.ExitCode)): $($run.Output) $($run.Error)" }
        $reps = @{}
        foreach ($line in $lines | Where-Object { $_.StartsWith('REP ') }) { $rep = $line.Substring(4) | ConvertFrom-Json; $reps[$rep.cmdlet] = $rep }
        $reps
    }

    function Invoke-Mount([string[]] $Arguments) {
        & mount @Arguments
        if ($LASTEXITCODE -ne 0) { throw "mount $Arguments failed (exit code $LASTEXITCODE); this test runs as root." }
    }

    # What each cmdlet reports for each cause: an ErrorId, or '' where the cause cannot stop it (and why, in the doc).
    $script:Expected = @{
        EACCES = @{ New = 'AccessDenied'; Export = 'AccessDenied'; Import = 'AccessDenied'; Info = 'AccessDenied'; Repair = 'AccessDenied'; Resize = 'AccessDenied' }
        EROFS  = @{ New = 'AccessDenied'; Export = 'AccessDenied'; Import = ''; Info = ''; Repair = 'AccessDenied'; Resize = 'AccessDenied' }
        ENOSPC = @{ New = 'MessageFailed'; Export = 'MessageFailed'; Import = ''; Info = ''; Repair = ''; Resize = '' }
        EFBIG  = @{ New = 'MessageFailed'; Export = 'MessageFailed'; Import = ''; Info = ''; Repair = ''; Resize = '' }
        EDQUOT = @{ New = 'MessageFailed'; Export = 'MessageFailed'; Import = ''; Info = ''; Repair = ''; Resize = '' }
        EIO    = @{ New = 'MessageFailed'; Export = 'MessageFailed'; Import = 'ReadFailed'; Info = 'ReadFailed'; Repair = 'FileAccessFailed'; Resize = 'FileAccessFailed' }
    }
    $script:Categories = @{ AccessDenied = 'PermissionDenied'; MessageFailed = 'WriteError'; ReadFailed = 'ReadError'; FileAccessFailed = 'OpenError' }
    $script:Results = @{}

    # EACCES: root without the capabilities that override file permissions; a folder it may not write, a file it may not read.
    $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'eacces')
    $folder = New-Item -ItemType Directory -Path (Join-Path $dir 'read-only-folder')
    & chmod 555 $folder
    $unreadable = Join-Path $dir 'unreadable.bin'
    Copy-Item $Message $unreadable
    & chmod 000 $unreadable
    $Results.EACCES = Invoke-CauseChild -ShellPrefix 'true' -Wrapper 'setpriv --bounding-set -dac_override,-dac_read_search,-fowner' -Directory $folder -Existing $unreadable

    # EROFS: an ext4 image on a loop device, the message written on it, then mounted read-only.
    $script:RoImage = Join-Path $TestDrive 'erofs.img'
    $script:RoMount = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'erofs')).FullName
    & truncate -s 8M $RoImage
    & mkfs.ext4 -q -F $RoImage
    if ($LASTEXITCODE -ne 0) { throw "mkfs.ext4 failed (exit code $LASTEXITCODE)." }
    Invoke-Mount @('-o', 'loop', $RoImage, $RoMount)
    Copy-Item $Message (Join-Path $RoMount 'message.bin')
    & umount $RoMount
    Invoke-Mount @('-o', 'loop,ro', $RoImage, $RoMount)
    $Results.EROFS = Invoke-CauseChild -ShellPrefix 'true' -Directory $RoMount -Existing (Join-Path $RoMount 'message.bin')

    # ENOSPC: a 2 MiB tmpfs holding the message, filled up.
    $script:FullMount = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'enospc')).FullName
    Invoke-Mount @('-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', $FullMount)
    Copy-Item $Message (Join-Path $FullMount 'message.bin')
    & bash -c 'dd if=/dev/zero of="$0/filler" bs=4k 2>/dev/null; true' $FullMount
    $Results.ENOSPC = Invoke-CauseChild -ShellPrefix 'true' -Directory $FullMount -Existing (Join-Path $FullMount 'message.bin')

    # EFBIG: a file-size limit of 1 MiB for the child (SIGXFSZ is CapMap's to turn into EFBIG; W^X off: the runtime's
    # double mapping of code is a file of its own that the limit would refuse).
    $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'efbig')
    Copy-Item $Message (Join-Path $dir 'message.bin')
    $Results.EFBIG = Invoke-CauseChild -ShellPrefix 'export DOTNET_EnableWriteXorExecute=0; ulimit -f 1024' -Directory $dir -Existing (Join-Path $dir 'message.bin')

    # EDQUOT and EIO: faultfs over a backing folder holding the message. Built here so the test needs no build step
    # of its own; gcc and libfuse3-dev come from .ci/run.
    $script:FaultFs = Join-Path $TestDrive 'faultfs'
    & bash -c 'gcc -Wall -O2 "$0" $(pkg-config --cflags --libs fuse3) -o "$1"' (Join-Path $PSScriptRoot 'Faults/faultfs.c') $FaultFs
    if ($LASTEXITCODE -ne 0) { throw "Compiling faultfs failed (exit code $LASTEXITCODE); it needs gcc, pkg-config and libfuse3-dev." }
    $script:FaultMounts = [Collections.Generic.List[string]]::new()
    # The child's report with a faultfs mount of these options over a fresh folder holding message.bin.
    function Invoke-FaultFsChild([string] $Name, [string] $Options) {
        $backing = New-Item -ItemType Directory -Path (Join-Path $TestDrive "$Name-backing")
        Copy-Item $Message (Join-Path $backing 'message.bin')
        $mount = (New-Item -ItemType Directory -Path (Join-Path $TestDrive $Name)).FullName
        & $FaultFs $mount -o "backing=$backing,$Options"
        if ($LASTEXITCODE -ne 0) { throw "faultfs failed to mount (exit code $LASTEXITCODE); it needs /dev/fuse and fuse3." }
        $FaultMounts.Add($mount)
        try { Invoke-CauseChild -ShellPrefix 'true' -Directory $mount -Existing (Join-Path $mount 'message.bin') }
        finally { & fusermount3 -u $mount; if ($LASTEXITCODE -eq 0) { $null = $FaultMounts.Remove($mount) } }
    }
    # EDQUOT: the files may grow by 1 MiB in all (the message already there is free), as a user's block quota would.
    $Results.EDQUOT = Invoke-FaultFsChild -Name 'edquot' -Options 'quota=1048576'
    # EIO: every read of the message and of the files New and Export create fails, as on a failing disk; for the
    # writers the first read is the kernel filling a page of the growing mapping.
    $Results.EIO = Invoke-FaultFsChild -Name 'eio' -Options 'eio=message.bin:new.bin:export.bin'

}

AfterAll {
    foreach ($mount in $RoMount, $FullMount) { if ($mount) { & umount $mount 2>$null } }
    # A faultfs mount left by a failure (fusermount3 -u refused while a child still held a file): detach it lazily.
    if ($FaultMounts) { foreach ($mount in @($FaultMounts)) { & fusermount3 -u -z $mount 2>$null } }
    Remove-Module -Name CapMap -Force -ErrorAction SilentlyContinue
}

Describe 'File errors by cause, through New, Export, Import, Info, Repair and Resize' -Tag 'Reliability' {
    It '<Cause> in <Cmdlet>' -ForEach @(
        foreach ($cause in 'EACCES', 'EROFS', 'ENOSPC', 'EFBIG', 'EDQUOT', 'EIO') { foreach ($cmdlet in 'New', 'Export', 'Import', 'Info', 'Repair', 'Resize') { @{ Cause = $cause; Cmdlet = $cmdlet } } }
    ) {
        $rep = $Results[$Cause][$Cmdlet]
        $rep | Should -Not -BeNullOrEmpty -Because "the child reports every cmdlet"
        $expectedId = $Expected[$Cause][$Cmdlet]
        $rep.errorId | Should -Be $expectedId -Because "$Cause in $Cmdlet ($($rep.message))"
        if ($expectedId) {
            $rep.category | Should -Be $Categories[$expectedId]
            $rep.message | Should -Match $Cause -Because 'the errno is kept in the message'
        }
    }
}
