// `node build.mjs`: webpack's Node API (what webpack-cli runs), printing the stats as JSON.
import webpack from 'webpack';
import config from './webpack.config.mjs';

webpack(config, (error, stats) => {
  if (error) throw error;
  console.log(JSON.stringify(stats.toJson({ all: false, errors: true, warnings: true, assets: true })));
});
