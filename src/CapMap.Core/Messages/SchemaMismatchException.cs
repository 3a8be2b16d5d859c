using CapMap.Schema;

namespace CapMap.Messages;

/// <summary>
/// A message is to be read as a root struct of another schema than the one it carries, with another layout than the
/// carried root: reading by it would give values that were never written (or none), not an error of the file.
/// </summary>
public sealed class SchemaMismatchException : Exception
{
    /// <summary>Creates the exception for message <paramref name="messageIndex"/> of <paramref name="path"/>, which carries <paramref name="carried"/> and was to be read as <paramref name="given"/>.</summary>
    public SchemaMismatchException(string path, int messageIndex, StructSchema carried, StructSchema given)
        : base($"Message {messageIndex} of '{path}' carries root {Describe(carried)} and was to be read as {Describe(given)}: " +
            "a struct of another schema, with another layout, which would read values that were never written. Read the file by the schema it " +
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
