namespace StreamMasking.Core.Policy.Matching;

/// <summary>One comparison on a record's field, header or topic.</summary>
/// <param name="Subject">What is compared.</param>
/// <param name="Name">The field path text or header name; empty for <see cref="MatchSubject.Topic"/>.</param>
/// <param name="Operator">The comparison.</param>
/// <param name="Values">The operand(s): one for equals/prefix/regex, one or more for in, <c>true</c>/<c>false</c> for exists.</param>
public sealed record PredicateCondition(MatchSubject Subject, string Name, MatchOperator Operator, IReadOnlyList<string> Values)
    : MatchCondition
{
    /// <inheritdoc />
    public override string Describe()
    {
        var subject = Subject switch
        {
            MatchSubject.Field => "field " + Name,
            MatchSubject.Header => "header " + Name,
            _ => "topic",
        };
        var op = Operator switch
        {
            MatchOperator.Equals => "== '" + Values[0] + "'",
            MatchOperator.In => "in ['" + string.Join("', '", Values) + "']",
            MatchOperator.Prefix => "starts with '" + Values[0] + "'",
            MatchOperator.Regex => "matches /" + Values[0] + "/",
            _ => Values[0] == "true" ? "exists" : "is absent",
        };
        return subject + " " + op;
    }
}
