using CapMap.Mapping;
using CapMap.Native;
using Mono.Unix.Native;

namespace CapMap.Platform;

/// <summary>Checks whether growing mapped files work in a directory on this machine.</summary>
public static class PlatformProbe
{
    /// <summary>Smallest reservation considered usable at all.</summary>
    public const long MinimumReservableBytes = 1L << 30;

    /// <summary>
    /// Runs the checks in <paramref name="directory"/> (which must exist and be writable). Creates and
    /// removes a few small scratch files there. Installs the SIGBUS handler if it is not yet installed.
    /// </summary>
    public static PlatformReport Run(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string dir = Path.GetFullPath(directory);
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"'{dir}' does not exist.");

        var problems = new List<string>();
        var notes = new List<string>();
        int page = Environment.SystemPageSize;

        bool installed = false;
        try
        {
            FaultRegistry.EnsureInstalled();
            installed = true;
        }
        catch (Exception ex) when (ex is MappedFileException or DllNotFoundException or EntryPointNotFoundException or PlatformNotSupportedException)
        {
            problems.Add("The native fault handler could not be loaded or installed: " + ex.Message);
        }

        string kernel = Syscall.uname(out Utsname u) == 0 ? u.release : "unknown";
        (string fsName, long magic, long free, long blockSize) = FileSystemInfo(dir, notes);

        bool growWorks = false, fallocate = false, collapse = false, populate = false, chains = false;
        if (installed)
        {
            chains = FaultRegistry.ChainsToPreviousHandler;
            growWorks = SeedExperiment(dir, page, problems);
            (fallocate, collapse) = AllocationChecks(dir, blockSize > 0 ? blockSize : page, notes);
            populate = PopulateCheck(page);
        }
        long reservable = MaxReservable();

        if (installed && !fallocate)
            notes.Add("fallocate is not supported here: growth falls back to ftruncate, so a full disk is only noticed when a page cannot be written.");
        if (installed && !collapse)
            notes.Add($"FALLOC_FL_COLLAPSE_RANGE is not supported on {fsName}: gaps between segments cannot be closed without copying.");
        if (installed && !populate)
            notes.Add("MADV_POPULATE_WRITE is not supported (Linux < 5.14): pages are faulted one by one and in-file fault failures are detected by a retry bound.");
        if (reservable < MinimumReservableBytes)
            problems.Add($"Only {reservable} bytes of address space could be reserved (need at least {MinimumReservableBytes}); check 'ulimit -v'.");
        else if (reservable < MappedFileOptions.DefaultReserveBytes)
            notes.Add($"Only {reservable} bytes of address space can be reserved; set MappedFileOptions.ReserveBytes below the default {MappedFileOptions.DefaultReserveBytes}.");
        if (fsName is "nfs" or "cifs/smb" or "fuse" or "9p" or "ceph")
            notes.Add($"{fsName} is a network or user-space file system: shared mappings may be slow and locks advisory across hosts.");

        return new PlatformReport(dir, kernel, page, fsName, magic, free, growWorks, fallocate, collapse, populate,
            reservable, chains, problems.Count == 0, problems, notes);
    }

    private static string ScratchName(string dir, string what) =>
        Path.Combine(dir, $".capmap-probe-{Environment.ProcessId}-{what}-{Guid.NewGuid():N}.tmp");

    /// <summary>The seed experiment, through the real <see cref="MappedFile"/> machinery.</summary>
    private static unsafe bool SeedExperiment(string dir, int page, List<string> problems)
    {
        string path = ScratchName(dir, "grow");
        const long Marker = 0x0123_4567_89AB_CDEF;
        try
        {
            long offset = 5L * page + 8;
            var options = new MappedFileOptions { ReserveBytes = 16L * page, ChunkBytes = page, Growth = GrowthMode.Fault };
            using (var file = MappedFile.Create(path, options))
            {
                if (file.CommittedBytes != 0)
                    throw new InvalidOperationException("the new file is not empty");
                *(long*)(file.Base + offset) = Marker; // past EOF: SIGBUS, grown by the handler, retried
                file.ThrowIfFailed();
                if (*(long*)(file.Base + offset) != Marker)
                    throw new InvalidOperationException("the value written past EOF did not read back");
                if (file.FaultCount < 1 || file.CommittedBytes < offset + 8)
                    throw new InvalidOperationException($"no growth observed (faults {file.FaultCount}, committed {file.CommittedBytes})");
                file.Flush(0, file.CommittedBytes, fsync: false);
            }
            // Read it back through the file, not the mapping.
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var buf = new byte[8];
            fs.Position = offset;
            fs.ReadExactly(buf);
            if (BitConverter.ToInt64(buf) != Marker)
                throw new InvalidOperationException("the value is not in the file");
            return true;
        }
        catch (Exception ex)
        {
            problems.Add("Growing a mapping on SIGBUS does not work here: " + ex.Message);
            return false;
        }
        finally
        {
            TryDelete(path);
        }
    }

    private static (bool Fallocate, bool Collapse) AllocationChecks(string dir, long block, List<string> notes)
    {
        string path = ScratchName(dir, "alloc");
        int fd = Syscall.open(path, OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_CLOEXEC, FilePermissions.DEFFILEMODE);
        if (fd < 0)
        {
            notes.Add($"Could not create a scratch file in {dir}: errno {NativeConvert.FromErrno(Stdlib.GetLastError())}.");
            return (false, false);
        }
        try
        {
            bool fallocate = NativeMethods.capmap_fallocate(fd, 0, 0, (ulong)(4 * block)) == 0;
            if (!fallocate && Syscall.ftruncate(fd, 4 * block) != 0)
                return (false, false);
            bool collapse = NativeMethods.capmap_collapse_range(fd, (ulong)block, (ulong)block) == 0
                && Syscall.fstat(fd, out Stat st) == 0 && st.st_size == 3 * block;
            return (fallocate, collapse);
        }
        finally
        {
            Syscall.close(fd);
            TryDelete(path);
        }
    }

    private static bool PopulateCheck(int page)
    {
        IntPtr p = Syscall.mmap(IntPtr.Zero, (ulong)page, MmapProts.PROT_READ | MmapProts.PROT_WRITE,
            MmapFlags.MAP_PRIVATE | MmapFlags.MAP_ANONYMOUS, -1, 0);
        if (p == new IntPtr(-1))
            return false;
        try
        {
            return NativeMethods.capmap_populate_write(p, (ulong)page) == 0;
        }
        finally
        {
            Syscall.munmap(p, (ulong)page);
        }
    }

    private static long MaxReservable()
    {
        for (long size = 1L << 40; size >= 1L << 20; size >>= 1)
        {
            IntPtr p = Syscall.mmap(IntPtr.Zero, (ulong)size, MmapProts.PROT_NONE,
                MmapFlags.MAP_PRIVATE | MmapFlags.MAP_ANONYMOUS | MmapFlags.MAP_NORESERVE, -1, 0);
            if (p != new IntPtr(-1))
            {
                Syscall.munmap(p, (ulong)size);
                return size;
            }
        }
        return 0;
    }

    private static (string Name, long Magic, long Free, long BlockSize) FileSystemInfo(string dir, List<string> notes)
    {
        long free = 0, block = 0, magic = 0;
        string name = "unknown";
        if (Syscall.statvfs(dir, out Statvfs sv) == 0)
        {
            free = (long)(sv.f_bavail * sv.f_frsize);
            block = (long)sv.f_bsize;
        }
        try
        {
            if (FileSystemFacts.TryGetType(dir, out long type))
            {
                magic = type;
                name = FileSystemName(type);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            notes.Add("File system type unknown: " + ex.Message);
        }
        return (name, magic, free, block);
    }

    /// <summary>Name of a statfs f_type magic number.</summary>
    public static string FileSystemName(long magic) => (magic & 0xFFFF_FFFF) switch
    {
        0xEF53 => "ext2/ext3/ext4",
        0x58465342 => "xfs",
        0x01021994 => "tmpfs",
        0x9123683E => "btrfs",
        0x794C7630 => "overlayfs",
        0x2FC12FC1 => "zfs",
        0x6969 => "nfs",
        0xFF534D42 or 0xFE534D42 => "cifs/smb",
        0x65735546 => "fuse",
        0x01021997 => "9p",
        0x00C36400 => "ceph",
        0x858458F6 => "ramfs",
        0x73717368 => "squashfs",
        0x4D44 => "vfat",
        0x5346544E => "ntfs",
        0x7366746E => "ntfs3",
        0xF2F52010 => "f2fs",
        0x3153464A => "jfs",
        0xCA451A4E => "bcachefs",
        0x62656572 => "sysfs",
        0x9FA0 => "proc",
        var m => $"unknown (0x{m:X})",
    };

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
