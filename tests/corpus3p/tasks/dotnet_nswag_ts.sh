# NSwag 11.20.1 (the OpenAPI/Swagger toolchain: C#, its .NET Core 2.0 build, any-CPU IL
# assemblies) run by .NET Core 2.0.0's dotnet.exe (the host, hostfxr and hostpolicy, CoreCLR
# with its JIT, the framework ReadyToRun-compiled; MSVC C++): `version`; a TypeScript client of
# a three-operation Swagger 2.0 API (a query parameter, a body, a path parameter, a 404, an
# enum; by digest); TypeScript classes of a JSON schema (nested object, array), compared whole.
# Wine 8.0 writes the same client (7 December 2026); the Linux build of the runtime writes the
# same files and stdout.
use nswag
run dotnet $dotnet_exec "$nswag_dll" version
nswag_out
expect_stdout 'NSwag command line tool for .NET Core NetCore20, toolchain v11.20.1.0 (NJsonSchema v9.11.0.0 (Newtonsoft.Json v9.0.0.0))\nVisit http://NSwag.org for more information.\nNSwag bin directory: DIR\n\nNSwag version: 11.20.1.0\nNJsonSchema version: 9.11.0.0 (Newtonsoft.Json v9.0.0.0)\n\n'
expect_exit 0
put api.json '{\n  "swagger": "2.0",\n  "info": { "title": "Pet Store", "version": "1.0.0" },\n  "host": "example.org",\n  "basePath": "/v1",\n  "schemes": ["https"],\n  "paths": {\n    "/pets": {\n      "get": {\n        "operationId": "Pets_List",\n        "parameters": [ { "name": "limit", "in": "query", "type": "integer", "format": "int32", "required": false } ],\n        "responses": { "200": { "description": "the pets", "schema": { "type": "array", "items": { "$ref": "#/definitions/Pet" } } } }\n      },\n      "post": {\n        "operationId": "Pets_Create",\n        "parameters": [ { "name": "pet", "in": "body", "required": true, "schema": { "$ref": "#/definitions/Pet" } } ],\n        "responses": { "201": { "description": "created", "schema": { "$ref": "#/definitions/Pet" } } }\n      }\n    },\n    "/pets/{id}": {\n      "get": {\n        "operationId": "Pets_Get",\n        "parameters": [ { "name": "id", "in": "path", "type": "integer", "format": "int64", "required": true } ],\n        "responses": { "200": { "description": "a pet", "schema": { "$ref": "#/definitions/Pet" } }, "404": { "description": "no such pet" } }\n      }\n    }\n  },\n  "definitions": {\n    "Pet": {\n      "type": "object",\n      "required": ["id", "name"],\n      "properties": {\n        "id": { "type": "integer", "format": "int64" },\n        "name": { "type": "string" },\n        "tag": { "type": "string" },\n        "kind": { "$ref": "#/definitions/Kind" }\n      }\n    },\n    "Kind": { "type": "string", "enum": ["Dog", "Cat", "Bird"] }\n  }\n}\n'
run dotnet $dotnet_exec "$nswag_dll" swagger2tsclient /input:api.json /output:client.ts
nswag_out
expect_stdout 'NSwag command line tool for .NET Core NetCore20, toolchain v11.20.1.0 (NJsonSchema v9.11.0.0 (Newtonsoft.Json v9.0.0.0))\nVisit http://NSwag.org for more information.\nNSwag bin directory: DIR\nCode has been successfully written to file.\n\n'
expect_exit 0
expect_sha256 client.ts 5d3a7fcf0fbfe7090bee944d987fea25198a1427df94a0a00be014c0d93e5ad3
# the client's operations and exported types
grep -E '^    (list|create|get)\(|^export ' client.ts > "$out"
expect_stdout 'export class PetsClient {\n    list(limit: number): Promise<Pet[]> {\n    create(pet: Pet): Promise<Pet> {\n    get(id: number): Promise<Pet> {\nexport class Pet implements IPet {\nexport interface IPet {\nexport enum Kind {\nexport class SwaggerException extends Error {\n'
put person.json '{\n  "title": "Person",\n  "type": "object",\n  "required": ["name"],\n  "properties": {\n    "name": { "type": "string" },\n    "age": { "type": "integer", "minimum": 0 },\n    "tags": { "type": "array", "items": { "type": "string" } },\n    "address": {\n      "type": "object",\n      "properties": { "street": { "type": "string" }, "city": { "type": "string" } }\n    }\n  }\n}\n'
run dotnet $dotnet_exec "$nswag_dll" jsonschema2tsclient /input:person.json /output:person.ts /name:Person
nswag_out
expect_exit 0
expect_sha256 person.ts 5a4b0f047762f7e502bc6d5956b77e7e3ab5c8e2d463659d6805eaf282d19fce
grep -E '^export |^    [a-z]+\??: ' person.ts > "$out"
expect_stdout 'export class Person implements IPerson {\n    name: string;\n    age: number;\n    tags: string[];\n    address: Address;\nexport interface IPerson {\n    name: string;\n    age: number;\n    tags: string[];\n    address: Address;\nexport class Address implements IAddress {\n    street: string;\n    city: string;\nexport interface IAddress {\n    street: string;\n    city: string;\n'
