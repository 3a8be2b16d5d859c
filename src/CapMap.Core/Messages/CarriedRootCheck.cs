using CapMap.Schema;

namespace CapMap.Messages;

/// <summary>
/// Checks a root type given to read a file (Import-CapnpMessage -Schema) against the roots its messages carry, so that
/// an unrelated schema is an error rather than rows of nothing. A given root fits a message when it is the carried
/// root's struct (the same id: the same schema, or a later version of it, which Cap'n Proto reads by design), when it
/// is another struct of the schema the message carries (the user picked the type to read the root as, as -RootType
/// does without -Schema and as capnp convert takes a type), or when it has the carried root's layout (data words and
/// pointers: the same struct declared again, in another file). A message that carries no schema, or one that does not
/// load, is not checked: the given schema is how such a file is read at all.
/// </summary>
public static class CarriedRootCheck
{
    /// <summary>Throws for the first of <paramref name="messages"/> of <paramref name="file"/> whose carried root <paramref name="root"/> does not fit.</summary>
    /// <exception cref="SchemaMismatchException">A message carries another root with another layout.</exception>
    /// <exception cref="IO.FileTruncatedException">The file was cut while it was read.</exception>
    public static void ThrowIfMismatch(OpenMessageFile file, IEnumerable<MessageFileInfo> messages, StructSchema root)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(root);
        EmbeddedSchema? fitting = null; // the last carried schema found to fit: the messages of a stream mostly repeat it
        foreach (var message in messages)
        {
            var embedded = file.SchemaOf(message); // from the reader's own mapping of the file
            if (embedded is null || embedded.RootTypeId == root.Id || embedded.SameAs(fitting)) continue;
            CarriedSchema carried;
            try
            {
                carried = CarriedSchema.Load(embedded);
            }
            catch (CapnpSchemaException)
            {
                continue;
            }
            bool sameLayout = carried.Root.DataWordCount == root.DataWordCount && carried.Root.PointerCount == root.PointerCount;
            if (!sameLayout && carried.SchemaSet.TryGetById(root.Id) is not StructSchema)
                throw new SchemaMismatchException(file.Path, message.Index, carried.Root, root);
            fitting = embedded;
        }
    }
}
