using CapMap.Schema;

namespace CapMap.Messages;

/// <summary>
/// A message is to be read as a root struct that is not the one it carries and has another layout: another struct,
/// so reading by it would give values that were never written (or none), not an error of the file.
/// </summary>
public sealed class SchemaMismatchException : Exception
{
    /// <summary>Creates the exception for message <paramref name="messageIndex"/> of <paramref name="path"/>, which carries <paramref name="carried"/> and was to be read as <paramref name="given"/>.</summary>
    public SchemaMismatchException(string path, int messageIndex, StructSchema carried, StructSchema given)
        : base($"Message {messageIndex} of '{path}' carries root {Describe(carried)} and was to be read as {Describe(given)}: " +
            "another struct with another layout, which would read values that were never written. Read the file by the schema it " +
            "carries, or by the one it was written with.")
    {
        Path = path;
        MessageIndex = messageIndex;
        CarriedRoot = carried;
        GivenRoot = given;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The message whose carried root differs.</summary>
    public int MessageIndex { get; }

    /// <summary>The root struct the message carries.</summary>
    public StructSchema CarriedRoot { get; }

    /// <summary>The root struct it was to be read as.</summary>
    public StructSchema GivenRoot { get; }

    private static string Describe(StructSchema root) =>
        $"{root.NestedName} (@0x{root.Id:x16}: {root.DataWordCount} data word(s), {root.PointerCount} pointer(s))";
}
