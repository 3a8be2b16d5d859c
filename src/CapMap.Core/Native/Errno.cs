namespace CapMap.Native;

/// <summary>Linux errno values used by CapMap (x86-64 / arm64 generic numbering).</summary>
internal static class Errno
{
    internal const int EPERM = 1;
    internal const int ENOENT = 2;
    internal const int EINTR = 4;
    internal const int EIO = 5;
    internal const int EBADF = 9;
    internal const int EAGAIN = 11;
    internal const int EWOULDBLOCK = EAGAIN;
    internal const int ENOMEM = 12;
    internal const int EACCES = 13;
    internal const int EFAULT = 14;
    internal const int EEXIST = 17;
    internal const int EINVAL = 22;
    internal const int EFBIG = 27;
    internal const int ENOSPC = 28;
    internal const int EROFS = 30;
    internal const int ELOOP = 40;
    internal const int ENOSYS = 38;
    internal const int EOPNOTSUPP = 95;
    internal const int ESTALE = 116;
    internal const int EDQUOT = 122;
}
