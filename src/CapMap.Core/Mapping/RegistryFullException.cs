namespace CapMap.Mapping;

/// <summary>All slots of the native region registry are in use (see <see cref="FaultRegistry.Capacity"/>).</summary>
public sealed class RegistryFullException : MappedFileException
{
    /// <summary>Creates the exception.</summary>
    public RegistryFullException(int capacity)
        : base($"No more than {capacity} growing mapped files can be open at once in one process. Dispose some first.")
    {
        Capacity = capacity;
    }

    /// <summary>The fixed number of registry slots.</summary>
    public int Capacity { get; }
}
