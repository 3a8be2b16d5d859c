using System.Collections;
using CapMap.Schema.Inference.TypeRows;

namespace CapMap.Schema.Inference;

/// <summary>What the sampled values of one field looked like so far: a scalar kind, a list of something, or an object.</summary>
internal abstract class ValueShape
{
}
