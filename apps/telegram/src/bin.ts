#!/usr/bin/env node
import 'reflect-metadata';
import { runAsProgram } from '@comfyrelay/platform';
import { runTelegramBot } from './standalone/runTelegramBot.js';

const token = process.env['TELEGRAM_BOT_TOKEN'];
runAsProgram('comfyrelay-telegram', runTelegramBot, (text) =>
  token ? text.split(token).join('<bot token>') : text,
);
