/**
 * The evaluation report schema, bundled with the action. The source of truth is
 * service/schemas/evaluation-report.schema.json; a test fails when this copy differs from it.
 */
export const EVALUATION_REPORT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://svgai.example/schemas/evaluation-report.schema.json',
  title: 'SVG-AI model evaluation report',
  description: 'Written by `python -m svgai.evaluate`; judged by the model-validate gate.',
  type: 'object',
  required: [
    'schema_version',
    'created_at',
    'model',
    'dataset',
    'classes',
    'accuracy',
    'macro_f1',
    'per_class',
    'confusion_matrix',
    'labels',
    'predictions',
    'latency_ms',
  ],
  additionalProperties: false,
  properties: {
    schema_version: {
      const: '1.1',
      description: '1.1 added labels and predictions',
    },
    created_at: {
      type: 'string',
      format: 'date-time',
    },
    model: {
      type: 'object',
      required: ['name', 'version', 'sha256', 'files'],
      additionalProperties: false,
      properties: {
        name: {
          type: 'string',
          minLength: 1,
        },
        version: {
          type: 'string',
          minLength: 1,
        },
        sha256: {
          $ref: '#/$defs/sha256',
        },
        files: {
          type: 'object',
          minProperties: 1,
          additionalProperties: {
            type: 'object',
            required: ['file', 'sha256'],
            additionalProperties: false,
            properties: {
              file: {
                type: 'string',
                minLength: 1,
              },
              sha256: {
                $ref: '#/$defs/sha256',
              },
            },
          },
        },
      },
    },
    dataset: {
      type: 'object',
      required: ['generator_version', 'seed', 'count', 'sha256'],
      additionalProperties: false,
      properties: {
        generator_version: {
          type: 'string',
          minLength: 1,
        },
        seed: {
          type: 'integer',
        },
        count: {
          type: 'integer',
          minimum: 1,
        },
        sha256: {
          $ref: '#/$defs/sha256',
        },
      },
    },
    classes: {
      type: 'array',
      minItems: 2,
      items: {
        type: 'string',
      },
      uniqueItems: true,
    },
    accuracy: {
      $ref: '#/$defs/ratio',
    },
    macro_f1: {
      $ref: '#/$defs/ratio',
    },
    per_class: {
      type: 'object',
      minProperties: 2,
      additionalProperties: {
        type: 'object',
        required: ['precision', 'recall', 'f1', 'support'],
        additionalProperties: false,
        properties: {
          precision: {
            $ref: '#/$defs/ratio',
          },
          recall: {
            $ref: '#/$defs/ratio',
          },
          f1: {
            $ref: '#/$defs/ratio',
          },
          support: {
            type: 'integer',
            minimum: 0,
          },
        },
      },
    },
    confusion_matrix: {
      description: 'rows: true class, columns: predicted class, both in `classes` order',
      type: 'array',
      minItems: 2,
      items: {
        type: 'array',
        minItems: 2,
        items: {
          type: 'integer',
          minimum: 0,
        },
      },
    },
    labels: {
      description: 'true class index of every sample, in dataset order',
      type: 'array',
      minItems: 1,
      items: {
        type: 'integer',
        minimum: 0,
      },
    },
    predictions: {
      description: 'predicted class index of every sample, in dataset order (pairs champion and challenger)',
      type: 'array',
      minItems: 1,
      items: {
        type: 'integer',
        minimum: 0,
      },
    },
    latency_ms: {
      type: 'object',
      required: ['p50', 'p95', 'p99', 'mean', 'samples'],
      additionalProperties: false,
      properties: {
        p50: {
          $ref: '#/$defs/ms',
        },
        p95: {
          $ref: '#/$defs/ms',
        },
        p99: {
          $ref: '#/$defs/ms',
        },
        mean: {
          $ref: '#/$defs/ms',
        },
        samples: {
          type: 'integer',
          minimum: 1,
        },
        batch_size: {
          type: 'integer',
          minimum: 1,
        },
        threads: {
          type: 'integer',
          minimum: 1,
        },
      },
    },
    quality_predictor: {
      type: 'object',
      required: ['sha256', 'conversions', 'mae', 'rmse', 'r2'],
      additionalProperties: false,
      properties: {
        sha256: {
          $ref: '#/$defs/sha256',
        },
        conversions: {
          type: 'integer',
          minimum: 1,
        },
        mae: {
          type: 'number',
          minimum: 0,
        },
        rmse: {
          type: 'number',
          minimum: 0,
        },
        r2: {
          type: 'number',
          maximum: 1,
        },
      },
    },
    environment: {
      type: 'object',
      properties: {
        torch_version: {
          type: 'string',
        },
        python_version: {
          type: 'string',
        },
        platform: {
          type: 'string',
        },
      },
    },
  },
  $defs: {
    sha256: {
      type: 'string',
      pattern: '^[0-9a-f]{64}$',
    },
    ratio: {
      type: 'number',
      minimum: 0,
      maximum: 1,
    },
    ms: {
      type: 'number',
      minimum: 0,
    },
  },
} as const;

export const SUPPORTED_SCHEMA_VERSION = EVALUATION_REPORT_SCHEMA.properties.schema_version.const;
