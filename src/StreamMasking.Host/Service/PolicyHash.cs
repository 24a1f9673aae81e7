using System.Security.Cryptography;

namespace StreamMasking.Host.Service;

/// <summary>A short content hash of a policy file: tells apart two deployments of the "same" version.</summary>
internal static class PolicyHash
{
    /// <summary>The first 16 hex digits of the SHA-256 of the file's bytes.</summary>
    internal static string Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))[..16];
}
