namespace CapMap.Mapping;

/// <summary>Options of a registered region (mirror CAPMAP_REGION_* in capmap_native.c).</summary>
[Flags]
public enum RegionFlags
{
    /// <summary>Writable file; faults past EOF grow it.</summary>
    None = 0,
    /// <summary>Read-only file: never grown; an access past EOF fails the region (reads see zeros).</summary>
    ReadOnly = 0x1,
    /// <summary>After the handler grows a chunk it prefaults it writable (MADV_POPULATE_WRITE).</summary>
    PopulateOnFault = 0x2,
}
