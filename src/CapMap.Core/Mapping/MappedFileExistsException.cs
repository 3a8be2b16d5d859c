namespace CapMap.Mapping;

/// <summary>The file to create already exists and <see cref="MappedFileOptions.Overwrite"/> was not set.</summary>
public sealed class MappedFileExistsException : MappedFileException
{
    /// <summary>Creates the exception.</summary>
    public MappedFileExistsException(string path)
        : base($"'{path}' already exists. Set Overwrite to replace it.", path, Native.Errno.EEXIST)
    {
    }
}
