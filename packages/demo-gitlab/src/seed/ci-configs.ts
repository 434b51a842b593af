/**
 * The seeded projects' .gitlab-ci.yml files. java-demo is the pipeline of the seed article
 * (Alibaba Cloud "GitLab CI on ASK": package → build → deploy with Maven, Kaniko and kubectl),
 * with the runner tag dropped so any runner created for the demo picks it up; the others show
 * needs, services with aliases, retry, allow_failure, manual jobs, rules and timeouts.
 */
export const JAVA_DEMO_CI = `# GitLab CI on ASK (seed article): every stage runs as its own pod on ECI.
cache:
  paths:
    - /cache

stages:
  - package
  - build
  - deploy

mvn_package_job:
  image: registry.cn-hangzhou.aliyuncs.com/eci/maven:3.6.3-jdk-8
  stage: package
  script:
    - mvn clean package -DskipTests
    - cp -f target/demo.war /cache

build_and_publish_docker_image_job:
  image: registry.cn-hangzhou.aliyuncs.com/eci/kaniko:1.0
  stage: build
  script:
    - mkdir target
    - cp /cache/demo.war target/demo.war
    - echo $CI_PIPELINE_ID
    - kaniko -f \`pwd\`/Dockerfile -c \`pwd\` --destination=registry.cn-hangzhou.aliyuncs.com/eci/java-demo:$CI_PIPELINE_ID

deploy_k8s_job:
  image: registry.cn-hangzhou.aliyuncs.com/eci/kubectl:1.0
  stage: deploy
  script:
    - mkdir -p ~/.kube
    - echo $kube_config | base64 -d > ~/.kube/config
    - sed -i "s/IMAGE_TAG/$CI_PIPELINE_ID/g" deployment.yaml
    - cat deployment.yaml
    - kubectl apply -f deployment.yaml
`;

export const PAYMENTS_API_CI = `stages:
  - build
  - test
  - deploy

variables:
  MAVEN_OPTS: "-Dmaven.repo.local=.m2/repository"

default:
  image: maven:3.9-eclipse-temurin-21
  timeout: 30m
  cache:
    key: maven
    paths:
      - .m2/repository

compile:
  stage: build
  script:
    - mvn -B compile
  artifacts:
    paths:
      - target/classes

unit-test:
  stage: test
  needs: [compile]
  services:
    - name: mysql:8.0
      alias: db
  variables:
    MYSQL_ROOT_PASSWORD: demo
    DB_HOST: db
  script:
    - mvn -B test
  retry:
    max: 2
    when:
      - runner_system_failure
      - stuck_or_timeout_failure
  artifacts:
    when: always
    reports:
      junit: target/surefire-reports/TEST-*.xml

dependency-scan:
  stage: test
  needs: [compile]
  allow_failure: true
  script:
    - mvn -B org.owasp:dependency-check-maven:check

deploy-staging:
  stage: deploy
  image: bitnami/kubectl:1.32
  script:
    - kubectl -n payments-staging set image deploy/payments-api app=$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH

deploy-production:
  stage: deploy
  image: bitnami/kubectl:1.32
  script:
    - kubectl -n payments set image deploy/payments-api app=$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
      when: manual
`;

export const STOREFRONT_CI = `stages:
  - test
  - build
  - deploy

default:
  image: node:20

lint:
  stage: test
  image: node:20-alpine
  script:
    - npm ci
    - npm run lint

test:
  stage: test
  services:
    - redis:7
  script:
    - npm ci
    - npm test -- --ci
  retry: 1

build:
  stage: build
  script:
    - npm run build
  artifacts:
    paths:
      - .next/
    expire_in: 1 week

deploy:
  stage: deploy
  image: bitnami/kubectl:1.32
  script:
    - kubectl -n storefront set image deploy/storefront web=$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA
  when: manual
  only:
    - main
`;

export const INFRA_CI = `stages:
  - validate
  - plan
  - apply

image:
  name: hashicorp/terraform:1.9
  entrypoint: [""]

fmt:
  stage: validate
  script:
    - terraform fmt -check -recursive

plan:
  stage: plan
  script:
    - terraform init -input=false
    - terraform plan -out=plan.tfplan
  artifacts:
    paths:
      - plan.tfplan

apply:
  stage: apply
  needs: [plan]
  script:
    - terraform apply -input=false plan.tfplan
  when: manual
  allow_failure: false
  timeout: 1h 30m
`;
