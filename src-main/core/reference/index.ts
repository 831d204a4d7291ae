export {
  loadReferenceData,
  ReferenceDataError,
  referenceFileNames,
  type LoadReferenceOptions,
  type ReferenceData,
  type SampleCall,
  type SampleCallUtterance,
  type UrgencyCues,
} from './load-reference-data';
