namespace CapMap.Messages;

/// <summary>
/// The holes a sparse stream keeps (see <see cref="SparseLanes"/>): <paramref name="ChildRoomBytes"/> below the list
/// for its elements' children (grown downwards by insert-range at the list segment's start when it runs low), and
/// <paramref name="ElementRoomStepBytes"/> above it for the elements, added again by insert-range each time the list
/// fills it. Their sum bounds what an open message's file shows beyond its data.
/// </summary>
internal readonly record struct SparseLaneRooms(long ChildRoomBytes, long ElementRoomStepBytes)
{
    /// <summary>The rooms every message uses; tests make them smaller to reach many inserts with few records.</summary>
    public static SparseLaneRooms Default => new(SparseLanes.ChildRoomBytes, SparseLanes.ElementRoomStepBytes);
}
