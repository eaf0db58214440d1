export { trainSimCLR, SimCLRConfig, SIMCLR_DEFAULTS } from './train_simclr';
export { trainMoCo, MoCoConfig, MoCoResult, MOCO_DEFAULTS, MoCoQueue, momentumUpdateModel } from './train_moco';
export { StepInfo, EpochInfo, Callback, TrainResult, CommonTrainConfig, learningRateAt, LrSchedule, LR_SCHEDULES } from './train_config';
