namespace CapMap.Schema.Inference;

/// <summary>The values of a fixed list of names for objects of one shape (see <see cref="ObjectAdapter.Bind"/>). Immutable and thread-safe.</summary>
public abstract class PropertyBinding
{
    /// <summary>
    /// Fills <c>values[i]</c> with the value of the i-th bound name (null when the object has no such property or
    /// its getter throws); false, with nothing promised about <paramref name="values"/>, when the object is not of
    /// this binding's shape.
    /// </summary>
    public abstract bool TryRead(object source, object?[] values);
}
