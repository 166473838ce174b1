# Local development, the local scale-out cluster, and Kubernetes (Kind). `make help` lists them.
# Kubernetes targets need kind, kubectl and docker; each says so, clearly, when one is missing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

CLUSTER ?= profile-service
NAMESPACE ?= profile-service
KUSTOMIZE_DIR ?= k8s/simple
# The Kind cluster's ports are k8s/simple's whichever overlay is applied.
KIND_CONFIG ?= k8s/simple/kind-config.yaml
# The CloudNativePG operator that k8s/ha needs (`make cnpg-install`): its release manifest.
CNPG_VERSION ?= 1.29.1
CNPG_MANIFEST ?= https://raw.githubusercontent.com/cloudnative-pg/cloudnative-pg/release-$(basename $(CNPG_VERSION))/releases/cnpg-$(CNPG_VERSION).yaml
SERVER_IMAGE ?= profile-service/server:dev
CLIENT_IMAGE ?= profile-service/client:dev
COMPONENT ?= server
API ?= http://localhost:30080
KUBECTL := kubectl -n $(NAMESPACE)
# The project's own Node (the pinned `node` devDependency) for every recipe, whatever the machine has.
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: help install deps dev start-server start-worker migrate build-local test test-unit test-integration test-system images lint format \
	typecheck bench ci local-cluster build build-image cluster-create cnpg-install deploy-all wait-pods start start-ha stop \
	restart status \
	logs logs-profile logs-postgres logs-redis logs-rabbitmq restart-profile port-forward test-api test-load \
	delete-all clean clean-all

help: ## List the targets
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-17s %s\n", $$1, $$2}'

# Not .PHONY: make never applies pattern rules to phony targets.
require-%:
	@command -v $* >/dev/null 2>&1 || { echo "make: '$*' is required for this target but is not installed (see README: Deploy to Kind)" >&2; exit 1; }

require-cluster: require-kubectl
	@kubectl cluster-info >/dev/null 2>&1 || { echo "make: no Kubernetes cluster is reachable with the current kubectl context (run 'make start')" >&2; exit 1; }

# --- local ---------------------------------------------------------------------------------------

install: ## Install dependencies from the lockfile (npm ci, on the pinned Node)
	node scripts/ensure-deps.mjs

deps:
	@node scripts/ensure-deps.mjs

dev: ## Run API + worker + web client on embedded defaults (npm start)
	npm start

start-server: ## Run the production API (needs DB_URI)
	npm run start:server

start-worker: ## Run a task worker (needs DB_URI and QUEUE_URI)
	npm run start:worker

migrate: ## Apply pending migrations to DB_URI (or the embedded database)
	npm run migrate

build-local: deps ## Compile the server (server/dist) and build the client (client/.next)
	node scripts/build-server.mjs && npm run build -w client

test: ## Everything a machine can run: lint, types, unit, integration, browser (npm test)
	npm test

test-unit: deps ## Unit tests only (no services needed)
	npm run test:unit -w server

test-integration: deps ## Server integration tests against real PostgreSQL, Redis and RabbitMQ
	npm run test:integration -w server

test-system: deps ## System tests: entry scripts, the install, the images (buildah, as root)
	npm run test:system -w server

lint: ## Biome lint and format check
	npm run lint

format: ## Apply Biome formatting and safe fixes
	npm run format

typecheck: ## TypeScript, strict (server and client)
	npm run typecheck

bench: ## Load benchmark against real services, beside minimal baselines
	npm run bench

ci: ## What CI runs (starts services if they are down)
	bash .ci/run

local-cluster: deps ## nginx over 3 API instances and 2 workers, PostgreSQL under Patroni + HAProxy, Prometheus (this machine)
	node --import tsx scripts/local-cluster.ts

# --- images and Kubernetes (Kind) ------------------------------------------------------------------

images: ## Build both images with buildah, no Docker engine needed (base image made by debootstrap; root)
	bash scripts/images/build.sh

build: require-docker ## Build the server (also the worker) and client images
	docker build -f server/Dockerfile -t $(SERVER_IMAGE) .
	docker build -f client/Dockerfile -t $(CLIENT_IMAGE) .

build-image: require-docker ## Build one image: COMPONENT=server (default) or client
	@case "$(COMPONENT)" in \
	  server) docker build -f server/Dockerfile -t $(SERVER_IMAGE) . ;; \
	  client) docker build -f client/Dockerfile -t $(CLIENT_IMAGE) . ;; \
	  *) echo "make: COMPONENT must be server or client, not '$(COMPONENT)'" >&2; exit 1 ;; \
	esac

cluster-create: require-kind require-docker ## Create the Kind cluster (ports 30080, 30081, 3000) unless it exists
	@kind get clusters 2>/dev/null | grep -qx '$(CLUSTER)' || kind create cluster --config $(KIND_CONFIG) --name $(CLUSTER)

deploy-all: require-cluster ## Apply every manifest (kubectl apply -k k8s/simple); the migration Job runs again
	@# A Job's pod template is immutable: a finished migration Job is replaced, not patched.
	$(KUBECTL) delete job migrate --ignore-not-found
	kubectl apply -k $(KUSTOMIZE_DIR)

cnpg-install: require-cluster ## Install the CloudNativePG operator (CNPG_VERSION) that k8s/ha needs, and wait for it
	kubectl apply --server-side -f $(CNPG_MANIFEST)
	kubectl -n cnpg-system rollout status deployment/cnpg-controller-manager --timeout=180s

wait-pods: require-cluster ## Wait for postgres, redis, rabbitmq, server, worker, client, nginx, jaeger, in that order
	@# k8s/ha's PostgreSQL is a CloudNativePG Cluster (three instances), Ready when all three are.
	@if [ "$(KUSTOMIZE_DIR)" = k8s/ha ]; then $(KUBECTL) wait --for=condition=Ready cluster/postgres --timeout=600s; \
	else $(KUBECTL) rollout status statefulset/postgres --timeout=180s; fi
	$(KUBECTL) rollout status deployment/redis --timeout=120s
	$(KUBECTL) rollout status statefulset/rabbitmq --timeout=240s
	$(KUBECTL) rollout status statefulset/minio --timeout=120s
	$(KUBECTL) wait --for=condition=complete job/migrate --timeout=180s
	$(KUBECTL) rollout status deployment/server --timeout=180s
	$(KUBECTL) rollout status deployment/worker --timeout=180s
	$(KUBECTL) rollout status deployment/client --timeout=180s
	$(KUBECTL) rollout status deployment/nginx --timeout=120s
	$(KUBECTL) rollout status deployment/jaeger --timeout=120s

start: require-kind require-kubectl require-docker ## Kind cluster, images built and loaded, everything applied and ready
	$(MAKE) cluster-create
	$(MAKE) build
	kind load docker-image $(SERVER_IMAGE) $(CLIENT_IMAGE) --name $(CLUSTER)
	$(MAKE) deploy-all
	@# Same tag, new image: pods already running would keep the old one without a restart.
	$(KUBECTL) rollout restart deployment/server deployment/worker deployment/client
	$(MAKE) wait-pods
	@echo "API and client: $(API)   client direct: http://localhost:3000   Grafana: http://localhost:30081   Jaeger: http://localhost:16686"

start-ha: require-kind require-kubectl require-docker ## `make start` on k8s/ha: the CloudNativePG operator, then PostgreSQL as a 3-instance Cluster
	$(MAKE) cluster-create
	$(MAKE) cnpg-install
	$(MAKE) start KUSTOMIZE_DIR=k8s/ha

stop: require-cluster ## Scale every workload to zero (data volumes kept)
	$(KUBECTL) scale deployment --all --replicas=0
	$(KUBECTL) scale statefulset --all --replicas=0

restart: require-cluster ## Restart the service's pods (server, worker, client), one at a time
	$(KUBECTL) rollout restart deployment/server deployment/worker deployment/client
	$(KUBECTL) rollout status deployment/server --timeout=180s

status: require-cluster ## Pods, services, autoscalers and disruption budgets
	$(KUBECTL) get pods,svc,hpa,pdb,jobs -o wide

logs: require-cluster ## Logs of one component: make logs COMPONENT=server|worker|client|nginx|postgres|redis|rabbitmq|minio|jaeger
	@case "$(COMPONENT)" in \
	  server|worker|client|migrate) selector='app.kubernetes.io/name=profile-service,app.kubernetes.io/component=$(COMPONENT)' ;; \
	  *) selector='app.kubernetes.io/name=$(COMPONENT)' ;; \
	esac; \
	$(KUBECTL) get pods -l "$$selector" -o name | grep -q . || { echo "make: no pods for COMPONENT=$(COMPONENT)" >&2; exit 1; }; \
	$(KUBECTL) logs -l "$$selector" --all-containers --prefix --tail=200 -f --max-log-requests=10

logs-profile: require-cluster ## Logs of the API (server) pods
	$(MAKE) logs COMPONENT=server

logs-postgres: require-cluster ## Logs of PostgreSQL
	$(KUBECTL) logs statefulset/postgres --tail=200 -f

logs-redis: require-cluster ## Logs of Redis
	$(KUBECTL) logs deployment/redis --tail=200 -f

logs-rabbitmq: require-cluster ## Logs of RabbitMQ
	$(KUBECTL) logs statefulset/rabbitmq --tail=200 -f

restart-profile: require-cluster ## Rolling restart of the API (server) pods
	$(KUBECTL) rollout restart deployment/server
	$(KUBECTL) rollout status deployment/server --timeout=180s

port-forward: require-cluster ## Forward nginx to :8080, Prometheus to :9090, RabbitMQ management to :15672
	$(KUBECTL) port-forward svc/nginx 8080:80 & $(KUBECTL) port-forward svc/prometheus 9090:9090 & \
	  $(KUBECTL) port-forward svc/rabbitmq 15672:15672 & wait

test-api: ## Smoke test of the deployed API through nginx (API=http://localhost:30080)
	bash scripts/smoke-api.sh $(API)

test-load: ## 30 s of load on the deployed API through nginx (API=...)
	npx autocannon -c 32 -d 30 $(API)/api/v1/profiles?limit=20

delete-all: require-cluster ## Delete everything applied (namespace, volumes included)
	kubectl delete -k $(KUSTOMIZE_DIR) --ignore-not-found

clean: ## Remove local build output and embedded data
	rm -rf server/dist client/.next data artifacts

clean-all: clean ## Also delete the Kind cluster and the images
	@if command -v kind >/dev/null 2>&1; then kind delete cluster --name $(CLUSTER); fi
	@if command -v docker >/dev/null 2>&1; then docker image rm -f $(SERVER_IMAGE) $(CLIENT_IMAGE) 2>/dev/null || true; fi
