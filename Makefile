# Every command the README mentions. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help install dev start-server start-worker migrate build test test-unit lint format typecheck bench ci clean

help: ## List the targets
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

install: ## Install dependencies from the lockfile
	npm ci --no-audit --no-fund

dev: ## Run the whole system on embedded defaults (npm start)
	npm start

start-server: ## Run the production API (needs DB_URI)
	npm run start:server

start-worker: ## Run a task worker (needs DB_URI and QUEUE_URI)
	npm run start:worker

migrate: ## Apply pending migrations to DB_URI (or the embedded database)
	npm run migrate

build: ## Compile the server to server/dist
	npm run build -w server

test: ## Lint, type-check, unit and integration tests against real services (npm test)
	npm test

test-unit: ## Unit tests only (no services needed)
	cd server && node --import tsx --test test/unit/*.test.ts

lint: ## Biome lint and format check
	npm run lint

format: ## Apply Biome formatting and safe fixes
	npm run format

typecheck: ## TypeScript, strict
	npm run typecheck

bench: ## Load benchmark against real PostgreSQL, beside minimal baselines
	npm run bench

ci: ## What CI runs (starts services if they are down)
	bash .ci/run

clean: ## Remove build output and embedded data
	rm -rf server/dist data
