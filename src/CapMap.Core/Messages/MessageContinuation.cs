using CapMap.Wire;

namespace CapMap.Messages;

/// <summary>
/// What <see cref="MappedMessageBuilder.ContinueInNextMessage"/> produced: the completed message, and the next
/// one, whose root is a copy of the previous root and whose open list starts again empty.
/// </summary>
public sealed class MessageContinuation
{
    internal MessageContinuation(MessageSummary completed, MappedMessageBuilder next, StructBuilder root,
        StreamingStructListBuilder? list, IReadOnlyList<StructBuilder> carried)
    {
        Completed = completed;
        Builder = next;
        Root = root;
        List = list;
        Carried = carried;
    }

    /// <summary>The message just completed (its Messages count includes it).</summary>
    public MessageSummary Completed { get; }

    /// <summary>The next message: use it (not the old builder) from here on; it owns the file.</summary>
    public MappedMessageBuilder Builder { get; }

    /// <summary>The next message's root: a copy of the previous root, streaming lists left out.</summary>
    public StructBuilder Root { get; }

    /// <summary>The list that was open, opened again (empty) in the next message; null if none was open.</summary>
    public StreamingStructListBuilder? List { get; }

    /// <summary>
    /// The copies of the structs passed as <c>carry</c>, in order; a null builder (<see cref="StructBuilder.IsNull"/>)
    /// for one the copy does not hold (not reachable from the root, or inside a streaming list).
    /// </summary>
    public IReadOnlyList<StructBuilder> Carried { get; }
}
