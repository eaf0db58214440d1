export { extractFeatures } from './extract_features';
export { linearProbe, LinearProbeOptions, LinearProbeResult, knnAccuracy, KnnOptions } from './probes';
export { alignment, uniformity, cosineSimilarityMatrix, GeometryMonitor, GeometryMonitorOptions } from './geometry';
export { pca, PcaResult } from './pca';
export { evaluationReport, EvaluationReportOptions, EvaluationRow, EvaluationMeasure, EVALUATION_MEASURES, evaluationTable, EvaluationTableOptions } from './evaluation_report';
