/// The version of llmdevops-metrics this module was built from: shown on the landing page and
/// exported as the `version` label of `llmdevops_build_info`.
public enum BuildVersion {
    /// The semantic version, such as `0.1.0`.
    public static let current = "0.1.0"
}
