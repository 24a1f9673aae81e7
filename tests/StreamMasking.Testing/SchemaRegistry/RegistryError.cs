namespace StreamMasking.Testing.SchemaRegistry;

/// <summary>An error answer in the registry's REST format: HTTP status plus <c>{"error_code": …, "message": …}</c>.</summary>
internal sealed class RegistryError(int status, int errorCode, string message) : Exception(message)
{
    public const int SubjectNotFound = 40401;
    public const int VersionNotFound = 40402;
    public const int SchemaNotFound = 40403;
    public const int Unauthorized = 40101;
    public const int Incompatible = 409;
    public const int InvalidSchema = 42201;
    public const int InvalidVersion = 42202;
    public const int StoreError = 50001;

    public int Status { get; } = status;

    public int ErrorCode { get; } = errorCode;
}
