#!/usr/bin/env node
import 'reflect-metadata';
import { runAsProgram } from '@comfyrelay/platform';
import { runDiscordBot } from './runDiscordBot.js';

runAsProgram('comfyrelay-discord', runDiscordBot);
