import { stringify } from "yaml";

/**
 * .gitlab-ci.yml snippets that point a build tool's download cache inside the project directory,
 * where GitLab's `cache:` keyword can archive it (cache paths must be under $CI_PROJECT_DIR). The
 * settings are the ones GitLab documents in "Caching in GitLab CI/CD" (doc/ci/caching/index.md:
 * npm, pip) and the tools' own switches (Maven's maven.repo.local, Gradle's GRADLE_USER_HOME).
 * The cache key follows the lock file, so a dependency change starts a fresh archive.
 */
export const CACHE_PRESETS = ["maven", "gradle", "npm", "pip"] as const;
export type CachePreset = (typeof CACHE_PRESETS)[number];

interface PresetDefinition {
  variables?: Record<string, string>;
  keyFiles: string[];
  paths: string[];
  /** The command that then uses the cache, as a comment-free example script line. */
  script: string;
}

const PRESETS: Record<CachePreset, PresetDefinition> = {
  maven: {
    variables: { MAVEN_OPTS: "-Dmaven.repo.local=$CI_PROJECT_DIR/.m2/repository" },
    keyFiles: ["pom.xml"],
    paths: [".m2/repository/"],
    script: "mvn --batch-mode verify",
  },
  gradle: {
    variables: { GRADLE_USER_HOME: "$CI_PROJECT_DIR/.gradle" },
    keyFiles: ["gradle/wrapper/gradle-wrapper.properties", "build.gradle"],
    paths: [".gradle/caches/", ".gradle/wrapper/"],
    script: "./gradlew build",
  },
  npm: {
    keyFiles: ["package-lock.json"],
    paths: [".npm/"],
    script: "npm ci --cache .npm --prefer-offline",
  },
  pip: {
    variables: { PIP_CACHE_DIR: "$CI_PROJECT_DIR/.cache/pip" },
    keyFiles: ["requirements.txt"],
    paths: [".cache/pip/"],
    script: "pip install -r requirements.txt",
  },
};

/** The snippet for one preset: variables, then a `default:` cache every job inherits. */
export function cacheSnippet(preset: CachePreset): string {
  const { variables, keyFiles, paths, script } = PRESETS[preset];
  const document = {
    ...(variables ? { variables } : {}),
    default: {
      cache: { key: { files: keyFiles, prefix: preset }, paths },
    },
    build: { script: [script] },
  };
  return stringify(document, { lineWidth: 0 });
}
