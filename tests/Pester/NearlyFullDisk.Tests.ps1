#Requires -Version 7.4
# Growth on real file systems that are nearly full (tag Reliability; docs/reliability.md). ext4 and XFS keep the
# blocks of a failed fallocate, ext2 has no fallocate at all: a 64 MiB growth step that fails there used to take
# the last free blocks (or, prefaulted, write zero pages until the disk was full). Each test builds a small file
# system on a loop device (needs root, mkfs.ext4/mkfs.ext2 from e2fsprogs and mkfs.xfs from xfsprogs, which
# .ci/run installs) and leaves exactly 20 MiB free.

BeforeDiscovery {
    $script:FileSystems = @(
        @{ Type = 'ext4'; Growth = 'Fault' }, @{ Type = 'ext4'; Growth = 'Eager' },
        @{ Type = 'ext2'; Growth = 'Fault' }, @{ Type = 'ext2'; Growth = 'Eager' },
        @{ Type = 'xfs'; Growth = 'Fault' }, @{ Type = 'xfs'; Growth = 'Eager' })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    $script:FreeBytes = 20MB

    # Runs a native command; its output, or a terminating error that names it.
    function Invoke-Tool([string] $Command, [string[]] $Arguments) {
        $output = & $Command @Arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') failed (exit code $LASTEXITCODE): $output" }
        "$output".Trim()
    }

    # Bytes an unprivileged writer may still allocate on the file system holding $Path (statvfs f_bavail).
    function Get-FreeBytes([string] $Path) {
        [long] (Invoke-Tool 'stat' @('-f', '-c', '%a*%S', $Path) | ForEach-Object { $a, $s = $_ -split '\*'; [long] $a * [long] $s })
    }

    # Bytes of blocks a file holds (st_blocks × 512).
    function Get-AllocatedBytes([string] $Path) { [long] (Invoke-Tool 'stat' @('-c', '%b', $Path)) * 512 }

    # A fresh file system of $Type on its own loop device, mounted, with exactly $FreeBytes free: ext4/ext2 on a
    # 24 MiB image without blocks reserved for root (root writes the test files), XFS on 300 MiB (mkfs.xfs's
    # smallest) whose surplus a filler file takes. Returns what Remove-LoopFileSystem needs.
    function New-LoopFileSystem([string] $Type) {
        $name = "$Type-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        $fs = [pscustomobject]@{ Image = Join-Path $TestDrive "$name.img"; Mount = Join-Path $TestDrive $name; Device = $null; Mounted = $false }
        try {
            New-Item -ItemType Directory -Path $fs.Mount | Out-Null
            $size = if ($Type -eq 'xfs') { '300M' } else { '24M' }
            Invoke-Tool 'truncate' @('-s', $size, $fs.Image) | Out-Null
            if ($Type -eq 'xfs') { Invoke-Tool 'mkfs.xfs' @('-q', '-f', $fs.Image) | Out-Null }
            else { Invoke-Tool "mkfs.$Type" @('-q', '-F', '-m', '0', $fs.Image) | Out-Null }
            $fs.Device = Invoke-Tool 'losetup' @('--find', '--show', $fs.Image)
            Invoke-Tool 'mount' @('-t', $Type, $fs.Device, $fs.Mount) | Out-Null
            $fs.Mounted = $true
            $surplus = (Get-FreeBytes $fs.Mount) - $FreeBytes
            if ($surplus -lt 0) { throw "A fresh $Type of $size has only $(Get-FreeBytes $fs.Mount) bytes free." }
            if ($surplus -gt 0) {
                # The filler: allocated blocks, not a hole; ext2 has no fallocate, so it gets zeros written.
                $filler = Join-Path $fs.Mount 'filler'
                if ($Type -eq 'ext2') { Invoke-Tool 'bash' @('-c', 'head -c "$0" /dev/zero > "$1"', $surplus, $filler) | Out-Null }
                else { Invoke-Tool 'fallocate' @('-l', $surplus, $filler) | Out-Null }
                Invoke-Tool 'sync' @('-f', $filler) | Out-Null
            }
            $fs | Add-Member Free (Get-FreeBytes $fs.Mount)
            $fs
        }
        catch {
            Remove-LoopFileSystem $fs
            throw
        }
    }

    # Unmounts and detaches, also after a failed test (lazily, if something still holds the mount).
    function Remove-LoopFileSystem($fs) {
        if ($fs.Mounted) {
            & umount $fs.Mount 2>&1 | Out-Null
            if ($LASTEXITCODE -ne 0) { & umount -l $fs.Mount 2>&1 | Out-Null }
        }
        if ($fs.Device) { & losetup -d $fs.Device 2>&1 | Out-Null }
        Remove-Item -LiteralPath $fs.Image -Force -ErrorAction SilentlyContinue
    }

    function New-Row([int] $Id, [string] $Payload) { [pscustomobject]@{ id = $Id; name = "r$Id"; payload = $Payload } }
}

Describe 'Growth on a nearly full <Type> file system (<Growth> growth)' -Tag 'Reliability' -ForEach $FileSystems {
    BeforeEach {
        $script:Fs = New-LoopFileSystem $Type
    }

    AfterEach {
        Remove-LoopFileSystem $Fs
    }

    It 'exports 10 records with 20 MiB free, and takes only the blocks the message needs' {
        $file = Join-Path $Fs.Mount 'ten.bin'
        1..10 | ForEach-Object { New-Row $_ 'small' } | Export-CapnpMessage -Path $file -Growth $Growth -ErrorAction Stop
        @(Import-CapnpMessage -LiteralPath $file).id | Should -Be (1..10)
        (Get-CapnpMessageInfo -LiteralPath $file).State | Should -Be 'Complete'
        # A small message allocates a few pages, not a growth chunk (64 MiB would not fit at all).
        Get-AllocatedBytes $file | Should -BeLessThan 1MB
        (Get-FreeBytes $Fs.Mount) | Should -BeGreaterThan ($Fs.Free - 1MB)
    }

    It 'fails cleanly when the export really runs out of space: last checkpoint kept, free space as before minus that file' {
        $file = Join-Path $Fs.Mount 'full.bin'
        $payload = 'x' * 2000
        # 40,000 rows of 2 KB are about 80 MB: far more than the 20 MiB free.
        $failure = $null
        try { 1..40000 | ForEach-Object { New-Row $_ $payload } | Export-CapnpMessage -Path $file -Growth $Growth -ErrorAction Stop }
        catch { $failure = $_ }
        $failure | Should -Not -BeNullOrEmpty -Because 'the rows do not fit'
        $failure.FullyQualifiedErrorId | Should -BeLike 'MessageFailed,*'
        "$failure" | Should -Match 'disk is full'

        $info = Get-CapnpMessageInfo -LiteralPath $file
        $info.State | Should -Be 'Checkpoint'
        $info.SlackBytes | Should -Be 0
        $info.RecordCount | Should -BeGreaterThan 1000 -Because 'the checkpoints before the disk was full keep their records'
        $ids = @(Import-CapnpMessage -LiteralPath $file | ForEach-Object id)
        $ids.Count | Should -Be $info.RecordCount
        $ids[-1] | Should -Be $info.RecordCount

        # Nothing but the checkpointed file holds blocks: the failed growth gave back what it had taken. The margin
        # is file system metadata (ext2 indirect blocks, extent blocks), far below one growth step.
        $length = (Get-Item -LiteralPath $file).Length
        $allocated = Get-AllocatedBytes $file
        $allocated | Should -BeLessOrEqual ($length + 512KB)
        (Get-FreeBytes $Fs.Mount) + $allocated | Should -BeGreaterOrEqual ($Fs.Free - 512KB)
    }
}
