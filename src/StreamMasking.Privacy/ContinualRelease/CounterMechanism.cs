namespace StreamMasking.Privacy.ContinualRelease;

/// <summary>Noise mechanism of a continual-release counter. Values are persisted: never renumber.</summary>
public enum CounterMechanism : byte
{
    /// <summary>Binary tree mechanism with Laplace noise per dyadic node (pure ε), plain prefix estimator.</summary>
    BinaryTree = 1,

    /// <summary>Binary tree mechanism with Honaker's online (bottom-up) variance reduction (pure ε).</summary>
    BinaryTreeHonaker = 2,

    /// <summary>Gaussian matrix mechanism with the square-root factorization of the prefix-sum matrix (ρ-zCDP).</summary>
    SquareRootFactorization = 3,

    /// <summary>
    /// Gaussian matrix mechanism with a buffered-linear-Toeplitz approximation of the square-root factorization
    /// (ρ-zCDP): the same error with O(1) state and time per step.
    /// </summary>
    BufferedToeplitz = 4,
}
