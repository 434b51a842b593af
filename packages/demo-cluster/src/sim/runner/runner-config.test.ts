import { describe, expect, it } from "vitest";
import { parseRunnerConfig } from "./runner-config";

describe("parseRunnerConfig (LoadConfig's decoding)", () => {
  it("reads a valid config.toml and ignores keys it does not model", () => {
    const result = parseRunnerConfig(
      'concurrent = 4\nlisten_address = ":9252"\n[session_server]\n  session_timeout = 1800\n[[runners]]\n  name = "r"\n  token = "glrt-x"\n  [runners.kubernetes]\n    poll_timeout = 600\n    cpu_limit = "0.5"\n',
    );
    expect(result.ok && result.config).toMatchObject({
      concurrent: 4,
      listen_address: ":9252",
      runners: [{ name: "r", token: "glrt-x", kubernetes: { poll_timeout: 600, cpu_limit: "0.5" } }],
    });
  });

  it("refuses the seed article's `token = $token` with the line, as the runner does", () => {
    const result = parseRunnerConfig('concurrent = 1\n[[runners]]\n  name = "seed"\n  token = $token\n');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^decoding configuration file: toml: line 4: /);
  });

  it("refuses a known key of the wrong type", () => {
    const result = parseRunnerConfig('concurrent = "4"\n');
    expect(!result.ok && result.error).toBe(
      'decoding configuration file: toml: (last key "concurrent"): incompatible types: TOML value has type string; destination has type number',
    );
    expect(parseRunnerConfig("[[runners]]\n  [runners.kubernetes]\n    cpu_limit = 0.5\n").ok).toBe(false);
  });
});
